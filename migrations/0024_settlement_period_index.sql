CREATE INDEX `ledger_transactions_settled_by` ON `ledger_transactions` (`settlement_period_id`) WHERE "ledger_transactions"."settlement_period_id" is not null;--> statement-breakpoint
INSERT OR IGNORE INTO `statement_issues` (`period_id`, `issued_at`) SELECT `id`, `created_at` FROM `settlement_periods`;
