import { rewardsReportScenarios } from "../scenarios/reports-rewards";
import { useNodeTarget } from "../support/node-target";

rewardsReportScenarios(useNodeTarget());
