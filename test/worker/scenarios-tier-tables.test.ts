import { tierTableScenarios } from "../scenarios/tier-tables";
import { useWorkerTarget } from "./target";

tierTableScenarios(useWorkerTarget());
