import { segmentListScenarios } from "../scenarios/segment-lists";
import { useWorkerTarget } from "./target";

segmentListScenarios(useWorkerTarget());
