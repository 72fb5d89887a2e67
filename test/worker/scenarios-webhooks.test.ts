import { webhookScenarios } from "../scenarios/webhooks";
import { useWorkerTarget } from "./target";

webhookScenarios(useWorkerTarget());
