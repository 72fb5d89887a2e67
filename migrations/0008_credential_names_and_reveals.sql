CREATE TABLE `portal_credential_reveals` (
	`session_token_hash` text NOT NULL,
	`form_nonce` text NOT NULL,
	`client_id` text NOT NULL,
	`sealed_secret` text,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`session_token_hash`, `form_nonce`)
);
--> statement-breakpoint
ALTER TABLE `credentials` ADD `name` text;--> statement-breakpoint
ALTER TABLE `credentials` ADD `last_used_at` integer;