import { bonusSettlementScenarios } from "../scenarios/bonus-settlements";
import { useWorkerTarget } from "./target";

bonusSettlementScenarios(useWorkerTarget());
