import { conversionScenarios } from "../scenarios/conversions";
import { useWorkerTarget } from "./target";

conversionScenarios(useWorkerTarget());
