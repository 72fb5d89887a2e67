import { rewardsReportScenarios } from "../scenarios/reports-rewards";
import { useWorkerTarget } from "./target";

rewardsReportScenarios(useWorkerTarget());
