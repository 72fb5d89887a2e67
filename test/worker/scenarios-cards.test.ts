import { cardScenarios } from "../scenarios/cards";
import { useWorkerTarget } from "./target";

cardScenarios(useWorkerTarget());
