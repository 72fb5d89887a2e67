import { redemptionScenarios } from "../scenarios/redemptions";
import { useWorkerTarget } from "./target";

redemptionScenarios(useWorkerTarget());
