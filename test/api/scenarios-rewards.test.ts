import { rewardScenarios } from "../scenarios/rewards";
import { useNodeTarget } from "../support/node-target";

rewardScenarios(useNodeTarget());
