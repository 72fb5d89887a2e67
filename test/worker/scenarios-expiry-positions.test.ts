import { expiryPositionScenarios } from "../scenarios/expiry-positions";
import { useWorkerTarget } from "./target";

expiryPositionScenarios(useWorkerTarget({ SANDBOX: "true" }));
