CREATE TABLE `signing_keys` (
	`kid` text PRIMARY KEY NOT NULL,
	`algorithm` text NOT NULL,
	`private_jwk` text NOT NULL,
	`public_jwk` text NOT NULL,
	`created_at` integer NOT NULL,
	`retired_at` integer
);
--> statement-breakpoint
CREATE TABLE `credentials` (
	`client_id` text PRIMARY KEY NOT NULL,
	`partner_id` text,
	`secret_hash` text NOT NULL,
	`scopes` text NOT NULL,
	`created_at` integer NOT NULL,
	`revoked_at` integer,
	FOREIGN KEY (`partner_id`) REFERENCES `partners`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `credentials_partner` ON `credentials` (`partner_id`);--> statement-breakpoint
CREATE TABLE `partners` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`contact_email` text NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`requests_per_minute` integer,
	`created_at` integer NOT NULL,
	`suspended_at` integer,
	CONSTRAINT "partners_status" CHECK("partners"."status" in ('active', 'suspended'))
);
--> statement-breakpoint
CREATE TABLE `portal_users` (
	`id` text PRIMARY KEY NOT NULL,
	`partner_id` text NOT NULL,
	`email` text NOT NULL,
	`role` text NOT NULL,
	`password_hash` text,
	`set_password_token_hash` text,
	`set_password_expires_at` integer,
	`failed_logins` integer DEFAULT 0 NOT NULL,
	`locked_until` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`partner_id`) REFERENCES `partners`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "portal_users_role" CHECK("portal_users"."role" in ('admin', 'finance', 'viewer'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `portal_users_email_unique` ON `portal_users` (`email`);--> statement-breakpoint
CREATE INDEX `portal_users_partner` ON `portal_users` (`partner_id`);--> statement-breakpoint
CREATE TABLE `agreements` (
	`id` text PRIMARY KEY NOT NULL,
	`program_id` text NOT NULL,
	`partner_id` text NOT NULL,
	`can_earn` integer NOT NULL,
	`can_burn` integer NOT NULL,
	`issue_price_micros` integer NOT NULL,
	`redeem_price_micros` integer NOT NULL,
	`valid_from` integer NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`partner_id`) REFERENCES `partners`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "agreements_prices" CHECK("agreements"."issue_price_micros" >= 0 and "agreements"."redeem_price_micros" >= 0)
);
--> statement-breakpoint
CREATE INDEX `agreements_program_partner` ON `agreements` (`program_id`,`partner_id`,`valid_from`);--> statement-breakpoint
CREATE INDEX `agreements_partner` ON `agreements` (`partner_id`);--> statement-breakpoint
CREATE TABLE `programs` (
	`id` text PRIMARY KEY NOT NULL,
	`partner_id` text NOT NULL,
	`name` text NOT NULL,
	`point_name` text NOT NULL,
	`settlement_currency` text NOT NULL,
	`issue_price_micros` integer NOT NULL,
	`redeem_price_micros` integer NOT NULL,
	`points_expire_after_days` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`partner_id`) REFERENCES `partners`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "programs_prices" CHECK("programs"."issue_price_micros" >= 0 and "programs"."redeem_price_micros" >= 0),
	CONSTRAINT "programs_expiry" CHECK("programs"."points_expire_after_days" is null or "programs"."points_expire_after_days" > 0)
);
--> statement-breakpoint
CREATE INDEX `programs_partner` ON `programs` (`partner_id`);