CREATE TABLE `terms_epoch` (
	`id` integer PRIMARY KEY NOT NULL,
	`epoch` integer NOT NULL,
	CONSTRAINT "terms_epoch_one_row" CHECK("terms_epoch"."id" = 1)
);
--> statement-breakpoint
INSERT INTO `terms_epoch` (`id`, `epoch`) VALUES (1, 0);
--> statement-breakpoint
CREATE TRIGGER `programs_insert_terms_epoch` AFTER INSERT ON `programs` BEGIN UPDATE `terms_epoch` SET `epoch` = max(`epoch` + 1, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)); END;
--> statement-breakpoint
CREATE TRIGGER `programs_update_terms_epoch` AFTER UPDATE ON `programs` BEGIN UPDATE `terms_epoch` SET `epoch` = max(`epoch` + 1, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)); END;
--> statement-breakpoint
CREATE TRIGGER `programs_delete_terms_epoch` AFTER DELETE ON `programs` BEGIN UPDATE `terms_epoch` SET `epoch` = max(`epoch` + 1, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)); END;
--> statement-breakpoint
CREATE TRIGGER `agreements_insert_terms_epoch` AFTER INSERT ON `agreements` BEGIN UPDATE `terms_epoch` SET `epoch` = max(`epoch` + 1, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)); END;
--> statement-breakpoint
CREATE TRIGGER `agreements_update_terms_epoch` AFTER UPDATE ON `agreements` BEGIN UPDATE `terms_epoch` SET `epoch` = max(`epoch` + 1, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)); END;
--> statement-breakpoint
CREATE TRIGGER `agreements_delete_terms_epoch` AFTER DELETE ON `agreements` BEGIN UPDATE `terms_epoch` SET `epoch` = max(`epoch` + 1, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)); END;
--> statement-breakpoint
CREATE TRIGGER `program_velocity_rules_insert_terms_epoch` AFTER INSERT ON `program_velocity_rules` BEGIN UPDATE `terms_epoch` SET `epoch` = max(`epoch` + 1, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)); END;
--> statement-breakpoint
CREATE TRIGGER `program_velocity_rules_update_terms_epoch` AFTER UPDATE ON `program_velocity_rules` BEGIN UPDATE `terms_epoch` SET `epoch` = max(`epoch` + 1, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)); END;
--> statement-breakpoint
CREATE TRIGGER `program_velocity_rules_delete_terms_epoch` AFTER DELETE ON `program_velocity_rules` BEGIN UPDATE `terms_epoch` SET `epoch` = max(`epoch` + 1, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)); END;
