import { conversionScenarios } from "../scenarios/conversions";
import { useNodeTarget } from "../support/node-target";

conversionScenarios(useNodeTarget());
