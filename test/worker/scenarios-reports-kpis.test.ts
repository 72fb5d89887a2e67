import { reportsKpisScenarios } from "../scenarios/reports-kpis";
import { useWorkerTarget } from "./target";

reportsKpisScenarios(useWorkerTarget({ SANDBOX: "true" }));
