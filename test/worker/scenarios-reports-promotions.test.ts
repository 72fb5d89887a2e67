import { promotionsReportScenarios } from "../scenarios/reports-promotions";
import { useWorkerTarget } from "./target";

promotionsReportScenarios(useWorkerTarget());
