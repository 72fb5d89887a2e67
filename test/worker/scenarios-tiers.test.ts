import { tierScenarios } from "../scenarios/tiers";
import { useWorkerTarget } from "./target";

tierScenarios(useWorkerTarget());
