import { tiersReportScenarios } from "../scenarios/reports-tiers";
import { useNodeTarget } from "../support/node-target";

tiersReportScenarios(useNodeTarget());
