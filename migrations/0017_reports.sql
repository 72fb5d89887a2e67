CREATE TABLE `report_active_members` (
	`program_id` text NOT NULL,
	`grain` text NOT NULL,
	`bucket` text NOT NULL,
	`member_id` text NOT NULL,
	PRIMARY KEY(`program_id`, `grain`, `bucket`, `member_id`)
);
--> statement-breakpoint
CREATE TABLE `report_daily` (
	`program_id` text NOT NULL,
	`day` text NOT NULL,
	`points_earned` integer DEFAULT 0 NOT NULL,
	`bonus_points` integer DEFAULT 0 NOT NULL,
	`points_burned` integer DEFAULT 0 NOT NULL,
	`points_redeemed` integer DEFAULT 0 NOT NULL,
	`points_converted_in` integer DEFAULT 0 NOT NULL,
	`points_converted_out` integer DEFAULT 0 NOT NULL,
	`points_transferred` integer DEFAULT 0 NOT NULL,
	`points_expired` integer DEFAULT 0 NOT NULL,
	`points_adjusted` integer DEFAULT 0 NOT NULL,
	`outstanding_change` integer DEFAULT 0 NOT NULL,
	`transactions` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`program_id`, `day`)
);
--> statement-breakpoint
CREATE TABLE `report_definitions` (
	`id` text PRIMARY KEY NOT NULL,
	`program_id` text NOT NULL,
	`name` text NOT NULL,
	`dataset` text NOT NULL,
	`definition` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `report_definitions_program` ON `report_definitions` (`program_id`,`id`);--> statement-breakpoint
CREATE TABLE `report_rollup_state` (
	`scope` text PRIMARY KEY NOT NULL,
	`last_rowid` integer NOT NULL,
	`rolled_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `report_rollup_zones` (
	`program_id` text PRIMARY KEY NOT NULL,
	`timezone` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `members_program_created` ON `members` (`program_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `redemptions_transaction` ON `redemptions` (`transaction_id`);