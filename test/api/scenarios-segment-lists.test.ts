import { segmentListScenarios } from "../scenarios/segment-lists";
import { useNodeTarget } from "../support/node-target";

segmentListScenarios(useNodeTarget());
