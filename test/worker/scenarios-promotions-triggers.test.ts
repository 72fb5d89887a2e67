import { promotionTriggerScenarios } from "../scenarios/promotions-triggers";
import { useWorkerTarget } from "./target";

promotionTriggerScenarios(useWorkerTarget());
