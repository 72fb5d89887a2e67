import { reportDefinitionScenarios } from "../scenarios/report-definitions";
import { useNodeTarget } from "../support/node-target";

reportDefinitionScenarios(useNodeTarget());
