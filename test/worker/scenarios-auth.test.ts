import { authScenarios } from "../scenarios/auth";
import { useWorkerTarget } from "./target";

authScenarios(useWorkerTarget());
