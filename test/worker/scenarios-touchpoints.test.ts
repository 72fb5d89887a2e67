import { touchpointScenarios } from "../scenarios/touchpoints";
import { useWorkerTarget } from "./target";

touchpointScenarios(useWorkerTarget());
