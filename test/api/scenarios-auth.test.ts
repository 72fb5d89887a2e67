import { authScenarios } from "../scenarios/auth";
import { useNodeTarget } from "../support/node-target";

authScenarios(useNodeTarget());
