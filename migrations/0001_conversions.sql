CREATE TABLE `conversion_daily_usage` (
	`member_id` text NOT NULL,
	`to_program_id` text NOT NULL,
	`day` text NOT NULL,
	`points` integer NOT NULL,
	`limit_points` integer NOT NULL,
	PRIMARY KEY(`member_id`, `to_program_id`, `day`),
	CONSTRAINT "conversion_daily_usage_within_limit" CHECK("conversion_daily_usage"."points" <= "conversion_daily_usage"."limit_points")
);
--> statement-breakpoint
CREATE TABLE `conversion_rates` (
	`id` text PRIMARY KEY NOT NULL,
	`from_program_id` text NOT NULL,
	`to_program_id` text NOT NULL,
	`from_points` integer NOT NULL,
	`to_points` integer NOT NULL,
	`min_points` integer NOT NULL,
	`increment` integer NOT NULL,
	`max_points_per_day` integer,
	`fee_bps` integer NOT NULL,
	`valid_from` integer NOT NULL,
	`valid_until` integer,
	`created_at` integer NOT NULL,
	CONSTRAINT "conversion_rates_valid" CHECK("conversion_rates"."from_points" > 0 and "conversion_rates"."to_points" > 0 and "conversion_rates"."min_points" > 0 and "conversion_rates"."increment" > 0
        and "conversion_rates"."fee_bps" >= 0 and "conversion_rates"."fee_bps" < 10000 and "conversion_rates"."from_program_id" <> "conversion_rates"."to_program_id")
);
--> statement-breakpoint
CREATE INDEX `conversion_rates_pair` ON `conversion_rates` (`from_program_id`,`to_program_id`,`valid_from`);--> statement-breakpoint
CREATE TABLE `conversions` (
	`id` text PRIMARY KEY NOT NULL,
	`quote_id` text NOT NULL,
	`partner_id` text NOT NULL,
	`rate_id` text NOT NULL,
	`from_program_id` text NOT NULL,
	`from_member_id` text NOT NULL,
	`to_program_id` text NOT NULL,
	`to_member_id` text NOT NULL,
	`from_points` integer NOT NULL,
	`fee_points` integer NOT NULL,
	`to_points` integer NOT NULL,
	`settlement_price_micros` integer NOT NULL,
	`settlement_currency` text NOT NULL,
	`status` text NOT NULL,
	`review_id` text,
	`hold_transaction_id` text,
	`created_at` integer NOT NULL,
	`decided_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `conversions_quote` ON `conversions` (`quote_id`);--> statement-breakpoint
CREATE INDEX `conversions_from_member` ON `conversions` (`from_member_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `conversions_to_member` ON `conversions` (`to_member_id`);--> statement-breakpoint
CREATE TABLE `quotes` (
	`id` text PRIMARY KEY NOT NULL,
	`partner_id` text NOT NULL,
	`rate_id` text NOT NULL,
	`from_program_id` text NOT NULL,
	`from_member_id` text NOT NULL,
	`to_program_id` text NOT NULL,
	`to_member_id` text NOT NULL,
	`from_points` integer NOT NULL,
	`fee_points` integer NOT NULL,
	`to_points` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `quotes_partner` ON `quotes` (`partner_id`);--> statement-breakpoint
CREATE TABLE `review_decisions` (
	`review_id` text PRIMARY KEY NOT NULL,
	`decision` text NOT NULL,
	`decided_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `reviews` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`conversion_id` text,
	`partner_id` text NOT NULL,
	`program_id` text NOT NULL,
	`member_id` text NOT NULL,
	`points` integer NOT NULL,
	`rule` text NOT NULL,
	`reason` text NOT NULL,
	`status` text NOT NULL,
	`decided_by` text,
	`decision_reason` text,
	`decided_at` integer,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `reviews_status` ON `reviews` (`status`,`id`);--> statement-breakpoint
ALTER TABLE `programs` ADD `review_threshold_points` integer;