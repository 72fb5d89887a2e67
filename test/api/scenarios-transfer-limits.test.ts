import { transferLimitScenarios } from "../scenarios/transfer-limits";
import { useNodeTarget } from "../support/node-target";

transferLimitScenarios(useNodeTarget());
