import { rfmScenarios } from "../scenarios/rfm";
import { useNodeTarget } from "../support/node-target";

rfmScenarios(useNodeTarget());
