import { programProfileScenarios } from "../scenarios/program-profiles";
import { useNodeTarget } from "../support/node-target";

programProfileScenarios(useNodeTarget());
