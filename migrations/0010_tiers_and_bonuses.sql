CREATE TABLE `member_tier_changes` (
	`id` text PRIMARY KEY NOT NULL,
	`program_id` text NOT NULL,
	`member_id` text NOT NULL,
	`from_key` text,
	`to_key` text NOT NULL,
	`reason` text NOT NULL,
	`note` text,
	`actor` text,
	`at` integer NOT NULL,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `member_tier_changes_member` ON `member_tier_changes` (`member_id`,`at`);--> statement-breakpoint
CREATE INDEX `member_tier_changes_program` ON `member_tier_changes` (`program_id`,`at`);--> statement-breakpoint
CREATE TABLE `program_tiers` (
	`program_id` text NOT NULL,
	`key` text NOT NULL,
	`position` integer NOT NULL,
	`name` text NOT NULL,
	`min_points` integer,
	`min_purchases` integer,
	`min_spend_minor` integer,
	`earn_bonus_bps` integer NOT NULL,
	`upgrade_bonus_points` integer NOT NULL,
	PRIMARY KEY(`program_id`, `key`),
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "program_tiers_bonuses" CHECK("program_tiers"."earn_bonus_bps" >= 0 and "program_tiers"."upgrade_bonus_points" >= 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `program_tiers_position` ON `program_tiers` (`program_id`,`position`);--> statement-breakpoint
CREATE TABLE `write_assertions` (
	`failed` text,
	CONSTRAINT "write_assertion_failed" CHECK("write_assertions"."failed" is null)
);
--> statement-breakpoint
ALTER TABLE `ledger_transactions` ADD `bonus_source` text;--> statement-breakpoint
ALTER TABLE `ledger_transactions` ADD `bonus_source_id` text;--> statement-breakpoint
ALTER TABLE `ledger_transactions` ADD `parent_transaction_id` text;--> statement-breakpoint
CREATE INDEX `ledger_transactions_parent` ON `ledger_transactions` (`parent_transaction_id`) WHERE "ledger_transactions"."parent_transaction_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX `ledger_transactions_one_upgrade_bonus` ON `ledger_transactions` (`member_id`,`bonus_source_id`) WHERE "ledger_transactions"."bonus_source" = 'tier_upgrade';--> statement-breakpoint
CREATE INDEX `ledger_transactions_member_qualifying` ON `ledger_transactions` (`member_id`,`created_at`,`points`,`reversed_points`,`purchase_amount_minor`) WHERE "ledger_transactions"."type" = 'earn';--> statement-breakpoint
ALTER TABLE `members` ADD `tier_key` text;--> statement-breakpoint
ALTER TABLE `members` ADD `tier_since` integer;--> statement-breakpoint
ALTER TABLE `members` ADD `tier_held_until` integer;--> statement-breakpoint
CREATE INDEX `members_program_tier` ON `members` (`program_id`,`tier_key`);--> statement-breakpoint
CREATE INDEX `members_tier_held_until` ON `members` (`tier_held_until`) WHERE "members"."tier_held_until" is not null;--> statement-breakpoint
ALTER TABLE `programs` ADD `tier_window_days` integer;--> statement-breakpoint
ALTER TABLE `programs` ADD `tier_table_version` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `programs` ADD `tiers_updated_at` integer;