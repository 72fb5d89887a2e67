import { tiersReportScenarios } from "../scenarios/reports-tiers";
import { useWorkerTarget } from "./target";

tiersReportScenarios(useWorkerTarget());
