import { privacyScenarios } from "../scenarios/privacy";
import { useNodeTarget } from "../support/node-target";

privacyScenarios(useNodeTarget());
