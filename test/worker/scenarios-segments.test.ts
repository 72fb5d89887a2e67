import { segmentScenarios } from "../scenarios/segments";
import { useWorkerTarget } from "./target";

segmentScenarios(useWorkerTarget());
