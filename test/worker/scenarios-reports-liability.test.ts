import { reportsLiabilityScenarios } from "../scenarios/reports-liability";
import { useWorkerTarget } from "./target";

reportsLiabilityScenarios(useWorkerTarget({ SANDBOX: "true" }));
