import { credentialScenarios } from "../scenarios/credentials";
import { useWorkerTarget } from "./target";

credentialScenarios(useWorkerTarget());
