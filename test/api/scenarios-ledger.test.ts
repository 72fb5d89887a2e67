import { ledgerScenarios } from "../scenarios/ledger";
import { useNodeTarget } from "../support/node-target";

ledgerScenarios(useNodeTarget());
