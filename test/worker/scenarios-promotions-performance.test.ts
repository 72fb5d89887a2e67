import { promotionPerformanceScenarios } from "../scenarios/promotions-performance";
import { useWorkerTarget } from "./target";

promotionPerformanceScenarios(useWorkerTarget());
