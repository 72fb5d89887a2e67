import { statementLanguageScenarios } from "../scenarios/statement-languages";
import { useWorkerTarget } from "./target";

statementLanguageScenarios(useWorkerTarget());
