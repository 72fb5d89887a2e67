import { segmentLifecycleScenarios } from "../scenarios/segment-lifecycle";
import { useNodeTarget } from "../support/node-target";

segmentLifecycleScenarios(useNodeTarget());
