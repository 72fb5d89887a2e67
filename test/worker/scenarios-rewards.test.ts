import { rewardScenarios } from "../scenarios/rewards";
import { useWorkerTarget } from "./target";

rewardScenarios(useWorkerTarget());
