CREATE TABLE `statement_issues` (
	`period_id` text PRIMARY KEY NOT NULL,
	`issued_at` integer NOT NULL
);
