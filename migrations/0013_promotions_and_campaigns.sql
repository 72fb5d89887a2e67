CREATE TABLE `activities` (
	`id` text PRIMARY KEY NOT NULL,
	`program_id` text NOT NULL,
	`member_id` text NOT NULL,
	`partner_id` text NOT NULL,
	`type` text NOT NULL,
	`reference` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `activities_member` ON `activities` (`member_id`,`created_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `activities_one_per_reference` ON `activities` (`program_id`,`member_id`,`type`,`reference`);--> statement-breakpoint
CREATE TABLE `campaign_segments` (
	`campaign_id` text NOT NULL,
	`segment_id` text NOT NULL,
	`position` integer NOT NULL,
	PRIMARY KEY(`campaign_id`, `segment_id`),
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`segment_id`) REFERENCES `segments`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `campaigns` (
	`id` text PRIMARY KEY NOT NULL,
	`program_id` text NOT NULL,
	`name` text NOT NULL,
	`type` text,
	`owner` text,
	`status` text NOT NULL,
	`planned_start` integer,
	`planned_end` integer,
	`actual_start` integer,
	`actual_end` integer,
	`expected_response_pct` real,
	`estimated_revenue_minor` integer,
	`notes` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `campaigns_program` ON `campaigns` (`program_id`,`id`);--> statement-breakpoint
CREATE TABLE `promotion_members` (
	`promotion_id` text NOT NULL,
	`member_id` text NOT NULL,
	`group` text NOT NULL,
	`exposed_at` integer NOT NULL,
	`points_awarded` integer DEFAULT 0 NOT NULL,
	`awards` integer DEFAULT 0 NOT NULL,
	`challenge_earns` integer DEFAULT 0 NOT NULL,
	`challenge_spend_minor` integer DEFAULT 0 NOT NULL,
	`once_awarded` integer DEFAULT 0 NOT NULL,
	`completed_at` integer,
	PRIMARY KEY(`promotion_id`, `member_id`),
	FOREIGN KEY (`promotion_id`) REFERENCES `promotions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "promotion_members_once" CHECK("promotion_members"."once_awarded" between 0 and 1)
);
--> statement-breakpoint
CREATE INDEX `promotion_members_member` ON `promotion_members` (`member_id`);--> statement-breakpoint
CREATE TABLE `promotions` (
	`id` text PRIMARY KEY NOT NULL,
	`program_id` text NOT NULL,
	`campaign_id` text,
	`name` text NOT NULL,
	`description` text,
	`status` text NOT NULL,
	`starts_at` integer NOT NULL,
	`ends_at` integer,
	`trigger` text NOT NULL,
	`schedule` text,
	`audience` text,
	`conditions` text,
	`challenge` text,
	`activity_types` text,
	`reward` text NOT NULL,
	`budget_points` integer,
	`max_points_per_member` integer,
	`max_awards_per_member` integer,
	`control_group_bps` integer DEFAULT 0 NOT NULL,
	`stacking` text DEFAULT 'stack' NOT NULL,
	`priority` integer DEFAULT 0 NOT NULL,
	`points_awarded` integer DEFAULT 0 NOT NULL,
	`budget_exhausted_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "promotions_within_budget" CHECK("promotions"."budget_points" is null or "promotions"."points_awarded" <= "promotions"."budget_points"),
	CONSTRAINT "promotions_control_group" CHECK("promotions"."control_group_bps" between 0 and 5000)
);
--> statement-breakpoint
CREATE INDEX `promotions_program` ON `promotions` (`program_id`,`status`,`id`);--> statement-breakpoint
CREATE INDEX `promotions_campaign` ON `promotions` (`campaign_id`) WHERE "promotions"."campaign_id" is not null;--> statement-breakpoint
ALTER TABLE `programs` ADD `promotions_version` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `ledger_transactions_bonus_source` ON `ledger_transactions` (`bonus_source_id`,`created_at`) WHERE "ledger_transactions"."bonus_source" is not null;