import { networkReportScenarios } from "../scenarios/reports-network";
import { useNodeTarget } from "../support/node-target";

networkReportScenarios(useNodeTarget());
