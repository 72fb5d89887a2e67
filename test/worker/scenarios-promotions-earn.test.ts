import { promotionEarnScenarios } from "../scenarios/promotions-earn";
import { useWorkerTarget } from "./target";

promotionEarnScenarios(useWorkerTarget());
