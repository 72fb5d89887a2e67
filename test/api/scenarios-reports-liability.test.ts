import { reportsLiabilityScenarios } from "../scenarios/reports-liability";
import { useNodeTarget } from "../support/node-target";

reportsLiabilityScenarios(useNodeTarget({ SANDBOX: "true" }));
