import { securityScenarios } from "../scenarios/security";
import { useNodeTarget } from "../support/node-target";

securityScenarios(useNodeTarget());
