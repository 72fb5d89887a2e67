import { promotionTriggerScenarios } from "../scenarios/promotions-triggers";
import { useNodeTarget } from "../support/node-target";

promotionTriggerScenarios(useNodeTarget());
