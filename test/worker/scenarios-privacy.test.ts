import { privacyScenarios } from "../scenarios/privacy";
import { useWorkerTarget } from "./target";

privacyScenarios(useWorkerTarget());
