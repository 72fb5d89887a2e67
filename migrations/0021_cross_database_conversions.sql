ALTER TABLE `quotes` ADD `to_external_id` text;--> statement-breakpoint
ALTER TABLE `conversion_sagas` ADD `idempotency_key` text;--> statement-breakpoint
CREATE INDEX `conversion_sagas_hold` ON `conversion_sagas` (`hold_transaction_id`);