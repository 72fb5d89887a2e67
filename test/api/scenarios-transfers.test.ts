import { transferScenarios } from "../scenarios/transfers";
import { useNodeTarget } from "../support/node-target";

transferScenarios(useNodeTarget());
