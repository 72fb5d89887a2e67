CREATE TABLE `expiry_notices` (
	`transaction_id` text PRIMARY KEY NOT NULL,
	`program_id` text NOT NULL,
	`member_id` text NOT NULL,
	`points` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`noticed_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `touchpoints` (
	`id` text PRIMARY KEY NOT NULL,
	`program_id` text NOT NULL,
	`member_id` text NOT NULL,
	`channel` text NOT NULL,
	`reason` text NOT NULL,
	`direction` text NOT NULL,
	`note` text,
	`rating` integer,
	`agent` text,
	`recorded_by` text NOT NULL,
	`occurred_at` integer NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "touchpoints_rating" CHECK("touchpoints"."rating" is null or "touchpoints"."rating" between 1 and 5)
);
--> statement-breakpoint
CREATE INDEX `touchpoints_member` ON `touchpoints` (`member_id`,`occurred_at`,`id`);--> statement-breakpoint
CREATE INDEX `touchpoints_program` ON `touchpoints` (`program_id`,`occurred_at`);--> statement-breakpoint
ALTER TABLE `members` ADD `erased_at` integer;