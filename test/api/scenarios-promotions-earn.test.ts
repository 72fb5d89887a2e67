import { promotionEarnScenarios } from "../scenarios/promotions-earn";
import { useNodeTarget } from "../support/node-target";

promotionEarnScenarios(useNodeTarget());
