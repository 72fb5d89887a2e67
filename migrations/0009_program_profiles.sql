CREATE TABLE `member_cards` (
	`program_id` text NOT NULL,
	`number` text NOT NULL,
	`member_id` text NOT NULL,
	`linked_at` integer NOT NULL,
	PRIMARY KEY(`program_id`, `number`),
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `member_cards_member` ON `member_cards` (`member_id`);--> statement-breakpoint
ALTER TABLE `ledger_transactions` ADD `channel` text;--> statement-breakpoint
ALTER TABLE `ledger_transactions` ADD `store_id` text;--> statement-breakpoint
ALTER TABLE `ledger_transactions` ADD `reason` text;--> statement-breakpoint
ALTER TABLE `ledger_transactions` ADD `actor` text;--> statement-breakpoint
ALTER TABLE `members` ADD `attributes` text DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE `members` ADD `birth_date` text;--> statement-breakpoint
ALTER TABLE `members` ADD `referred_by_member_id` text;--> statement-breakpoint
ALTER TABLE `members` ADD `updated_at` integer;--> statement-breakpoint
ALTER TABLE `programs` ADD `timezone` text DEFAULT 'UTC' NOT NULL;--> statement-breakpoint
ALTER TABLE `programs` ADD `status` text DEFAULT 'active' NOT NULL;