import { cardScenarios } from "../scenarios/cards";
import { useNodeTarget } from "../support/node-target";

cardScenarios(useNodeTarget());
