import { tierAccessScenarios } from "../scenarios/tier-access";
import { useNodeTarget } from "../support/node-target";

tierAccessScenarios(useNodeTarget());
