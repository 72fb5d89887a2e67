import { transferLimitScenarios } from "../scenarios/transfer-limits";
import { useWorkerTarget } from "./target";

transferLimitScenarios(useWorkerTarget());
