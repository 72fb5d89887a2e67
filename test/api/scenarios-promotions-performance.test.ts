import { promotionPerformanceScenarios } from "../scenarios/promotions-performance";
import { useNodeTarget } from "../support/node-target";

promotionPerformanceScenarios(useNodeTarget());
