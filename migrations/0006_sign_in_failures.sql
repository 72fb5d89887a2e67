CREATE TABLE `portal_sign_in_failures` (
	`email_hash` text PRIMARY KEY NOT NULL,
	`failures` integer NOT NULL,
	`locked_until` integer,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `portal_sign_in_failures_updated` ON `portal_sign_in_failures` (`updated_at`);--> statement-breakpoint
ALTER TABLE `portal_users` DROP COLUMN `failed_logins`;--> statement-breakpoint
ALTER TABLE `portal_users` DROP COLUMN `locked_until`;