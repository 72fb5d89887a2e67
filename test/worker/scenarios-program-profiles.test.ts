import { programProfileScenarios } from "../scenarios/program-profiles";
import { useWorkerTarget } from "./target";

programProfileScenarios(useWorkerTarget());
