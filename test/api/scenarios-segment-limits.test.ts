import { segmentLimitScenarios } from "../scenarios/segment-limits";
import { useNodeTarget } from "../support/node-target";

segmentLimitScenarios(useNodeTarget());
