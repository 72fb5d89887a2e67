import { segmentLimitScenarios } from "../scenarios/segment-limits";
import { useWorkerTarget } from "./target";

segmentLimitScenarios(useWorkerTarget());
