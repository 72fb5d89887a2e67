CREATE TABLE `conversion_credits` (
	`saga_id` text PRIMARY KEY NOT NULL,
	`outcome` text NOT NULL,
	`transaction_id` text,
	`reason` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `conversion_sagas` (
	`id` text PRIMARY KEY NOT NULL,
	`partner_id` text NOT NULL,
	`from_program_id` text NOT NULL,
	`from_member_id` text NOT NULL,
	`to_program_id` text NOT NULL,
	`to_member_id` text NOT NULL,
	`from_points` integer NOT NULL,
	`to_points` integer NOT NULL,
	`hold_transaction_id` text NOT NULL,
	`state` text NOT NULL,
	`reason` text,
	`created_at` integer NOT NULL,
	`finished_at` integer
);
--> statement-breakpoint
CREATE INDEX `conversion_sagas_state` ON `conversion_sagas` (`state`,`id`);--> statement-breakpoint
CREATE TABLE `program_placements` (
	`program_id` text PRIMARY KEY NOT NULL,
	`database` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `shard_messages` (
	`id` text PRIMARY KEY NOT NULL,
	`saga_id` text NOT NULL,
	`kind` text NOT NULL,
	`to_program_id` text NOT NULL,
	`payload` text NOT NULL,
	`created_at` integer NOT NULL,
	`delivered_at` integer
);
--> statement-breakpoint
CREATE INDEX `shard_messages_undelivered` ON `shard_messages` (`id`) WHERE "shard_messages"."delivered_at" is null;