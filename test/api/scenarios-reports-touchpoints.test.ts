import { touchpointsReportScenarios } from "../scenarios/reports-touchpoints";
import { useNodeTarget } from "../support/node-target";

touchpointsReportScenarios(useNodeTarget());
