import { ledgerScenarios } from "../scenarios/ledger";
import { useWorkerTarget } from "./target";

ledgerScenarios(useWorkerTarget());
