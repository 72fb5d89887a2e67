import { rewardImportScenarios } from "../scenarios/rewards-import";
import { useNodeTarget } from "../support/node-target";

rewardImportScenarios(useNodeTarget());
