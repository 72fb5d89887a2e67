import { adjustmentScenarios } from "../scenarios/adjustments";
import { useNodeTarget } from "../support/node-target";

adjustmentScenarios(useNodeTarget());
