import { credentialScenarios } from "../scenarios/credentials";
import { useNodeTarget } from "../support/node-target";

credentialScenarios(useNodeTarget());
