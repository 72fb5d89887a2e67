import { settlementScenarios } from "../scenarios/settlements";
import { useWorkerTarget } from "./target";

settlementScenarios(useWorkerTarget());
