import { transferScenarios } from "../scenarios/transfers";
import { useWorkerTarget } from "./target";

transferScenarios(useWorkerTarget());
