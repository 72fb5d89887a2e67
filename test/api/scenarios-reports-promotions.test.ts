import { promotionsReportScenarios } from "../scenarios/reports-promotions";
import { useNodeTarget } from "../support/node-target";

promotionsReportScenarios(useNodeTarget());
