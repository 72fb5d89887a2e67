import { segmentLifecycleScenarios } from "../scenarios/segment-lifecycle";
import { useWorkerTarget } from "./target";

segmentLifecycleScenarios(useWorkerTarget());
