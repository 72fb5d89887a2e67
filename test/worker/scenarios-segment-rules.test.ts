import { segmentRuleScenarios } from "../scenarios/segment-rules";
import { useWorkerTarget } from "./target";

segmentRuleScenarios(useWorkerTarget());
