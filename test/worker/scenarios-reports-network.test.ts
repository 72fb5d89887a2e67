import { networkReportScenarios } from "../scenarios/reports-network";
import { useWorkerTarget } from "./target";

networkReportScenarios(useWorkerTarget());
