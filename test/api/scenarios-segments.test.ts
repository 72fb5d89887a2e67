import { segmentScenarios } from "../scenarios/segments";
import { useNodeTarget } from "../support/node-target";

segmentScenarios(useNodeTarget());
