DROP INDEX `members_program`;--> statement-breakpoint
CREATE INDEX `members_program_id` ON `members` (`program_id`,`id`);