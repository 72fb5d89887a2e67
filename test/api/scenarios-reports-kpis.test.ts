import { reportsKpisScenarios } from "../scenarios/reports-kpis";
import { useNodeTarget } from "../support/node-target";

reportsKpisScenarios(useNodeTarget({ SANDBOX: "true" }));
