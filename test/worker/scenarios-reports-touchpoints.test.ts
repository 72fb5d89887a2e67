import { touchpointsReportScenarios } from "../scenarios/reports-touchpoints";
import { useWorkerTarget } from "./target";

touchpointsReportScenarios(useWorkerTarget());
