import { segmentRuleScenarios } from "../scenarios/segment-rules";
import { useNodeTarget } from "../support/node-target";

segmentRuleScenarios(useNodeTarget());
