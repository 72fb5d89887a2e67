export * from "./auth";
export * from "./conversions";
export * from "./events";
export * from "./idempotency";
export * from "./ledger";
export * from "./members";
export * from "./partners";
export * from "./programs";
