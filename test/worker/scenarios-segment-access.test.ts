import { segmentAccessScenarios } from "../scenarios/segment-access";
import { useWorkerTarget } from "./target";

segmentAccessScenarios(useWorkerTarget());
