import { securityScenarios } from "../scenarios/security";
import { useWorkerTarget } from "./target";

securityScenarios(useWorkerTarget());
