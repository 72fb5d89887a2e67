import { segmentAccessScenarios } from "../scenarios/segment-access";
import { useNodeTarget } from "../support/node-target";

segmentAccessScenarios(useNodeTarget());
