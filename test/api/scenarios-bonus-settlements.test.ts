import { bonusSettlementScenarios } from "../scenarios/bonus-settlements";
import { useNodeTarget } from "../support/node-target";

bonusSettlementScenarios(useNodeTarget());
