CREATE TABLE `fraud_events` (
	`id` text PRIMARY KEY NOT NULL,
	`rule` text NOT NULL,
	`decision` text NOT NULL,
	`operation` text NOT NULL,
	`partner_id` text NOT NULL,
	`program_id` text NOT NULL,
	`member_id` text NOT NULL,
	`points` integer NOT NULL,
	`detail` text NOT NULL,
	`review_id` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `fraud_events_created` ON `fraud_events` (`created_at`);--> statement-breakpoint
CREATE INDEX `fraud_events_partner` ON `fraud_events` (`partner_id`,`id`);--> statement-breakpoint
CREATE INDEX `fraud_events_member` ON `fraud_events` (`member_id`,`id`);--> statement-breakpoint
CREATE TABLE `program_velocity_rules` (
	`program_id` text PRIMARY KEY NOT NULL,
	`max_earn_points_per_member_per_day` integer,
	`earn_action` text DEFAULT 'reject' NOT NULL,
	`max_burns_per_member_per_hour` integer,
	`burn_action` text DEFAULT 'reject' NOT NULL,
	`max_conversion_points_per_member_per_day` integer,
	`conversion_action` text DEFAULT 'hold' NOT NULL,
	`hold_first_conversion_to_new_destination` integer DEFAULT false NOT NULL,
	`updated_at` integer NOT NULL,
	CONSTRAINT "program_velocity_rules_actions" CHECK("program_velocity_rules"."burn_action" in ('reject', 'hold') and "program_velocity_rules"."conversion_action" in ('reject', 'hold'))
);
--> statement-breakpoint
ALTER TABLE `reviews` ADD `hold_transaction_id` text;--> statement-breakpoint
ALTER TABLE `reviews` ADD `reference` text;--> statement-breakpoint
ALTER TABLE `reviews` ADD `description` text;