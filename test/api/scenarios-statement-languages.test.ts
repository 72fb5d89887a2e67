import { statementLanguageScenarios } from "../scenarios/statement-languages";
import { useNodeTarget } from "../support/node-target";

statementLanguageScenarios(useNodeTarget());
