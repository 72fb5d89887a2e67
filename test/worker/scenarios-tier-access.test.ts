import { tierAccessScenarios } from "../scenarios/tier-access";
import { useWorkerTarget } from "./target";

tierAccessScenarios(useWorkerTarget());
