CREATE TABLE `expiry_positions` (
	`program_id` text NOT NULL,
	`job` text NOT NULL,
	`run_at` integer NOT NULL,
	`last_rowid` integer NOT NULL,
	PRIMARY KEY(`program_id`, `job`)
);
--> statement-breakpoint
CREATE INDEX `ledger_transactions_program_expiry` ON `ledger_transactions` (`program_id`,`expires_at`) WHERE "ledger_transactions"."expires_at" is not null;