import { reportDefinitionScenarios } from "../scenarios/report-definitions";
import { useWorkerTarget } from "./target";

reportDefinitionScenarios(useWorkerTarget());
