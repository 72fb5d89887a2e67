CREATE TABLE `sandbox_clock` (
	`id` integer PRIMARY KEY NOT NULL,
	`offset_ms` integer NOT NULL,
	`updated_at` integer NOT NULL,
	CONSTRAINT "sandbox_clock_one_row" CHECK("sandbox_clock"."id" = 1 and "sandbox_clock"."offset_ms" >= 0)
);
