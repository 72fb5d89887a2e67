import { settlementScenarios } from "../scenarios/settlements";
import { useNodeTarget } from "../support/node-target";

settlementScenarios(useNodeTarget());
