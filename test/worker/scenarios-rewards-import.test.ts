import { rewardImportScenarios } from "../scenarios/rewards-import";
import { useWorkerTarget } from "./target";

rewardImportScenarios(useWorkerTarget());
