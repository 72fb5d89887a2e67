import { tierTableScenarios } from "../scenarios/tier-tables";
import { useNodeTarget } from "../support/node-target";

tierTableScenarios(useNodeTarget());
