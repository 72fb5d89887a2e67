import { promotionCrudScenarios } from "../scenarios/promotions-crud";
import { useWorkerTarget } from "./target";

promotionCrudScenarios(useWorkerTarget());
