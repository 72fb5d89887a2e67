CREATE TABLE `member_rfm` (
	`member_id` text PRIMARY KEY NOT NULL,
	`program_id` text NOT NULL,
	`r` integer NOT NULL,
	`f` integer NOT NULL,
	`m` integer NOT NULL,
	`recency_days` integer NOT NULL,
	`frequency` integer NOT NULL,
	`monetary` integer NOT NULL,
	`segment` text NOT NULL,
	`computed_at` integer NOT NULL,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `member_rfm_program` ON `member_rfm` (`program_id`,`r`,`f`);--> statement-breakpoint
CREATE TABLE `program_rfm` (
	`program_id` text PRIMARY KEY NOT NULL,
	`window_days` integer NOT NULL,
	`members_scored` integer NOT NULL,
	`computed_at` integer NOT NULL,
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `segment_members` (
	`segment_id` text NOT NULL,
	`member_id` text NOT NULL,
	`joined_at` integer NOT NULL,
	PRIMARY KEY(`segment_id`, `member_id`),
	FOREIGN KEY (`segment_id`) REFERENCES `segments`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `segment_members_member` ON `segment_members` (`member_id`);--> statement-breakpoint
CREATE TABLE `segments` (
	`id` text PRIMARY KEY NOT NULL,
	`program_id` text NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`type` text NOT NULL,
	`rule` text,
	`member_count` integer DEFAULT 0 NOT NULL,
	`counted_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `segments_program` ON `segments` (`program_id`,`id`);