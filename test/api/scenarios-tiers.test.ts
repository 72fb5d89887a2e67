import { tierScenarios } from "../scenarios/tiers";
import { useNodeTarget } from "../support/node-target";

tierScenarios(useNodeTarget());
