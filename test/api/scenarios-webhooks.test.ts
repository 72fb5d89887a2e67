import { webhookScenarios } from "../scenarios/webhooks";
import { useNodeTarget } from "../support/node-target";

webhookScenarios(useNodeTarget());
