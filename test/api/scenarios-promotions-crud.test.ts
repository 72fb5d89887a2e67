import { promotionCrudScenarios } from "../scenarios/promotions-crud";
import { useNodeTarget } from "../support/node-target";

promotionCrudScenarios(useNodeTarget());
