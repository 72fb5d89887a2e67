import { rfmScenarios } from "../scenarios/rfm";
import { useWorkerTarget } from "./target";

rfmScenarios(useWorkerTarget());
