import { activityScenarios } from "../scenarios/activity";
import { useNodeTarget } from "../support/node-target";

activityScenarios(useNodeTarget());
