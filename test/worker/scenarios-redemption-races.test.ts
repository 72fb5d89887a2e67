import { redemptionRaceScenarios } from "../scenarios/redemption-races";
import { useWorkerTarget } from "./target";

redemptionRaceScenarios(useWorkerTarget());
