import { expiryPositionScenarios } from "../scenarios/expiry-positions";
import { useNodeTarget } from "../support/node-target";

expiryPositionScenarios(useNodeTarget({ SANDBOX: "true" }));
