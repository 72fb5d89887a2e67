import { adjustmentScenarios } from "../scenarios/adjustments";
import { useWorkerTarget } from "./target";

adjustmentScenarios(useWorkerTarget());
