import { activityScenarios } from "../scenarios/activity";
import { useWorkerTarget } from "./target";

activityScenarios(useWorkerTarget());
