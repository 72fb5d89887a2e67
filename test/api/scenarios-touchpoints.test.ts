import { touchpointScenarios } from "../scenarios/touchpoints";
import { useNodeTarget } from "../support/node-target";

touchpointScenarios(useNodeTarget());
