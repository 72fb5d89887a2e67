import { expiringSoonScenarios } from "../scenarios/expiring-soon";
import { useNodeTarget } from "../support/node-target";

expiringSoonScenarios(useNodeTarget({ SANDBOX: "true" }));
