import { redemptionScenarios } from "../scenarios/redemptions";
import { useNodeTarget } from "../support/node-target";

redemptionScenarios(useNodeTarget());
