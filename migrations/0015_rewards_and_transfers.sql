CREATE TABLE `redemptions` (
	`id` text PRIMARY KEY NOT NULL,
	`program_id` text NOT NULL,
	`member_id` text NOT NULL,
	`reward_id` text NOT NULL,
	`partner_id` text NOT NULL,
	`fulfilling_partner_id` text NOT NULL,
	`quantity` integer NOT NULL,
	`points` integer NOT NULL,
	`status` text NOT NULL,
	`transaction_id` text NOT NULL,
	`review_id` text,
	`delivery` text,
	`tracking_reference` text,
	`cancel_reason` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`fulfilled_at` integer,
	`cancelled_at` integer,
	`returned_at` integer,
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`reward_id`) REFERENCES `rewards`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "redemptions_quantity" CHECK("redemptions"."quantity" between 1 and 100)
);
--> statement-breakpoint
CREATE INDEX `redemptions_status` ON `redemptions` (`status`,`id`);--> statement-breakpoint
CREATE INDEX `redemptions_program_status` ON `redemptions` (`program_id`,`status`,`id`);--> statement-breakpoint
CREATE INDEX `redemptions_member` ON `redemptions` (`member_id`,`id`);--> statement-breakpoint
CREATE INDEX `redemptions_member_reward` ON `redemptions` (`member_id`,`reward_id`);--> statement-breakpoint
CREATE TABLE `reward_codes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`reward_id` text NOT NULL,
	`code` text NOT NULL,
	`status` text NOT NULL,
	`redemption_id` text,
	`created_at` integer NOT NULL,
	`assigned_at` integer,
	FOREIGN KEY (`reward_id`) REFERENCES `rewards`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "reward_codes_assignment" CHECK(("reward_codes"."status" = 'available') = ("reward_codes"."redemption_id" is null))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `reward_codes_reward_code` ON `reward_codes` (`reward_id`,`code`);--> statement-breakpoint
CREATE INDEX `reward_codes_available` ON `reward_codes` (`reward_id`,`id`) WHERE "reward_codes"."status" = 'available';--> statement-breakpoint
CREATE INDEX `reward_codes_redemption` ON `reward_codes` (`redemption_id`) WHERE "reward_codes"."redemption_id" is not null;--> statement-breakpoint
CREATE TABLE `rewards` (
	`id` text PRIMARY KEY NOT NULL,
	`program_id` text NOT NULL,
	`sku` text NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`type` text NOT NULL,
	`points_price` integer NOT NULL,
	`tiers` text,
	`stock` integer,
	`per_member_limit` integer,
	`fulfilment` text NOT NULL,
	`fulfilling_partner_id` text,
	`available_from` integer,
	`available_until` integer,
	`active` integer NOT NULL,
	`translations` text DEFAULT '{}' NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`fulfilling_partner_id`) REFERENCES `partners`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "rewards_in_stock" CHECK("rewards"."stock" is null or "rewards"."stock" >= 0),
	CONSTRAINT "rewards_price_positive" CHECK("rewards"."points_price" > 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `rewards_program_sku` ON `rewards` (`program_id`,`sku`);--> statement-breakpoint
CREATE INDEX `rewards_program` ON `rewards` (`program_id`,`id`);--> statement-breakpoint
CREATE TABLE `transfer_rules` (
	`program_id` text PRIMARY KEY NOT NULL,
	`enabled` integer NOT NULL,
	`min_points` integer NOT NULL,
	`max_points_per_member_per_month` integer,
	`fee_bps` integer NOT NULL,
	`min_membership_days` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `transfers` (
	`id` text PRIMARY KEY NOT NULL,
	`program_id` text NOT NULL,
	`from_member_id` text NOT NULL,
	`to_member_id` text NOT NULL,
	`partner_id` text NOT NULL,
	`points` integer NOT NULL,
	`fee_points` integer NOT NULL,
	`received_points` integer NOT NULL,
	`reference` text NOT NULL,
	`status` text NOT NULL,
	`month` text NOT NULL,
	`out_transaction_id` text NOT NULL,
	`in_transaction_id` text,
	`review_id` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`from_member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`to_member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "transfers_amounts" CHECK("transfers"."points" > 0 and "transfers"."fee_points" >= 0 and "transfers"."received_points" = "transfers"."points" - "transfers"."fee_points"),
	CONSTRAINT "transfers_not_to_oneself" CHECK("transfers"."from_member_id" <> "transfers"."to_member_id")
);
--> statement-breakpoint
CREATE INDEX `transfers_from_month` ON `transfers` (`from_member_id`,`month`);--> statement-breakpoint
CREATE INDEX `transfers_program` ON `transfers` (`program_id`,`id`);--> statement-breakpoint
CREATE TABLE `write_refusals` (
	`refused` text,
	CONSTRAINT "refused_out_of_stock" CHECK("write_refusals"."refused" is not 'out_of_stock'),
	CONSTRAINT "refused_limit_exceeded" CHECK("write_refusals"."refused" is not 'limit_exceeded'),
	CONSTRAINT "refused_invalid_state" CHECK("write_refusals"."refused" is not 'invalid_state'),
	CONSTRAINT "refused_not_eligible" CHECK("write_refusals"."refused" is not 'not_eligible')
);
--> statement-breakpoint
ALTER TABLE `reviews` ADD `redemption_id` text;--> statement-breakpoint
ALTER TABLE `reviews` ADD `transfer_id` text;