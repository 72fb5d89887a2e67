CREATE TABLE `settlement_periods` (
	`id` text PRIMARY KEY NOT NULL,
	`start` integer NOT NULL,
	`end` integer NOT NULL,
	`previous_period_id` text NOT NULL,
	`closed_by` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `settlement_periods_previous` ON `settlement_periods` (`previous_period_id`);--> statement-breakpoint
CREATE TABLE `statements` (
	`id` text PRIMARY KEY NOT NULL,
	`period_id` text NOT NULL,
	`partner_id` text NOT NULL,
	`currency` text NOT NULL,
	`net_amount_minor` integer NOT NULL,
	`document` text NOT NULL,
	`content_hash` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `statements_partner` ON `statements` (`partner_id`,`id`);--> statement-breakpoint
CREATE INDEX `statements_period` ON `statements` (`period_id`);--> statement-breakpoint
ALTER TABLE `ledger_transactions` ADD `settlement_period_id` text;--> statement-breakpoint
CREATE INDEX `ledger_transactions_unsettled` ON `ledger_transactions` (`created_at`) WHERE settlement_period_id is null;