import { redemptionRaceScenarios } from "../scenarios/redemption-races";
import { useNodeTarget } from "../support/node-target";

redemptionRaceScenarios(useNodeTarget());
