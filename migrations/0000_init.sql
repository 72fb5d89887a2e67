CREATE TABLE `signing_keys` (
	`kid` text PRIMARY KEY NOT NULL,
	`algorithm` text NOT NULL,
	`private_jwk` text NOT NULL,
	`public_jwk` text NOT NULL,
	`created_at` integer NOT NULL,
	`retired_at` integer
);
--> statement-breakpoint
CREATE TABLE `events` (
	`id` text PRIMARY KEY NOT NULL,
	`partner_id` text NOT NULL,
	`type` text NOT NULL,
	`payload` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `events_partner` ON `events` (`partner_id`,`id`);--> statement-breakpoint
CREATE INDEX `events_created` ON `events` (`created_at`);--> statement-breakpoint
CREATE TABLE `idempotency_keys` (
	`partner_id` text NOT NULL,
	`key` text NOT NULL,
	`request_hash` text NOT NULL,
	`status_code` integer NOT NULL,
	`response_body` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`partner_id`, `key`)
);
--> statement-breakpoint
CREATE INDEX `idempotency_keys_created` ON `idempotency_keys` (`created_at`);--> statement-breakpoint
CREATE TABLE `accounts` (
	`id` text PRIMARY KEY NOT NULL,
	`program_id` text NOT NULL,
	`kind` text NOT NULL,
	`member_id` text,
	`partner_id` text,
	`balance` integer DEFAULT 0 NOT NULL,
	CONSTRAINT "accounts_member_non_negative" CHECK("accounts"."kind" not in ('member', 'member_hold') or "accounts"."balance" >= 0)
);
--> statement-breakpoint
CREATE INDEX `accounts_program` ON `accounts` (`program_id`);--> statement-breakpoint
CREATE TABLE `ledger_entries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`transaction_id` text NOT NULL,
	`program_id` text NOT NULL,
	`account_id` text NOT NULL,
	`amount` integer NOT NULL,
	`created_at` integer NOT NULL,
	CONSTRAINT "ledger_entries_nonzero" CHECK("ledger_entries"."amount" <> 0)
);
--> statement-breakpoint
CREATE INDEX `ledger_entries_transaction` ON `ledger_entries` (`transaction_id`);--> statement-breakpoint
CREATE INDEX `ledger_entries_account` ON `ledger_entries` (`account_id`);--> statement-breakpoint
CREATE TABLE `ledger_transactions` (
	`id` text PRIMARY KEY NOT NULL,
	`type` text NOT NULL,
	`program_id` text NOT NULL,
	`member_id` text NOT NULL,
	`partner_id` text NOT NULL,
	`points` integer NOT NULL,
	`reversed_points` integer DEFAULT 0 NOT NULL,
	`balance_after` integer NOT NULL,
	`reference` text,
	`description` text,
	`original_transaction_id` text,
	`expires_at` integer,
	`purchase_amount_minor` integer,
	`purchase_currency` text,
	`created_at` integer NOT NULL,
	CONSTRAINT "ledger_transactions_points_positive" CHECK("ledger_transactions"."points" > 0),
	CONSTRAINT "ledger_transactions_reversal_within_points" CHECK("ledger_transactions"."reversed_points" >= 0 and "ledger_transactions"."reversed_points" <= "ledger_transactions"."points")
);
--> statement-breakpoint
CREATE INDEX `ledger_transactions_member` ON `ledger_transactions` (`member_id`,`id`);--> statement-breakpoint
CREATE INDEX `ledger_transactions_program_created` ON `ledger_transactions` (`program_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `ledger_transactions_partner_created` ON `ledger_transactions` (`partner_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `ledger_transactions_original` ON `ledger_transactions` (`original_transaction_id`);--> statement-breakpoint
CREATE INDEX `ledger_transactions_member_expiry` ON `ledger_transactions` (`member_id`,`type`,`expires_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `ledger_transactions_one_expiry_per_boundary` ON `ledger_transactions` (`member_id`,`expires_at`) WHERE "ledger_transactions"."type" = 'expiry';--> statement-breakpoint
CREATE TABLE `members` (
	`id` text PRIMARY KEY NOT NULL,
	`program_id` text NOT NULL,
	`external_id` text NOT NULL,
	`email` text,
	`name` text,
	`locale` text,
	`enrolled_by` text NOT NULL,
	`lifetime_earned` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `members_program_external` ON `members` (`program_id`,`external_id`);--> statement-breakpoint
CREATE INDEX `members_program` ON `members` (`program_id`);--> statement-breakpoint
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
	`earn_points` integer DEFAULT 1 NOT NULL,
	`earn_per_amount_minor` integer DEFAULT 100 NOT NULL,
	`valid_from` integer NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`partner_id`) REFERENCES `partners`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "agreements_prices" CHECK("agreements"."issue_price_micros" >= 0 and "agreements"."redeem_price_micros" >= 0),
	CONSTRAINT "agreements_earn_rate" CHECK("agreements"."earn_points" >= 0 and "agreements"."earn_per_amount_minor" > 0)
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