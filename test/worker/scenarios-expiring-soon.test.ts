import { expiringSoonScenarios } from "../scenarios/expiring-soon";
import { useWorkerTarget } from "./target";

expiringSoonScenarios(useWorkerTarget({ SANDBOX: "true" }));
