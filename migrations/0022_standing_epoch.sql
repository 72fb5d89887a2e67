-- A credential's standing (revocation, partner, the partner's status and request limit) is remembered by the hot
-- routes under the terms epoch too (db/queries/credentials.ts): every change of it moves the epoch. An update that
-- writes the same values (the operator credential's upsert at every start) moves nothing.
CREATE TRIGGER `credentials_insert_terms_epoch` AFTER INSERT ON `credentials` BEGIN UPDATE `terms_epoch` SET `epoch` = max(`epoch` + 1, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)); END;
--> statement-breakpoint
CREATE TRIGGER `credentials_update_terms_epoch` AFTER UPDATE OF `revoked_at`, `partner_id`, `client_id` ON `credentials` WHEN old.`revoked_at` IS NOT new.`revoked_at` OR old.`partner_id` IS NOT new.`partner_id` OR old.`client_id` IS NOT new.`client_id` BEGIN UPDATE `terms_epoch` SET `epoch` = max(`epoch` + 1, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)); END;
--> statement-breakpoint
CREATE TRIGGER `credentials_delete_terms_epoch` AFTER DELETE ON `credentials` BEGIN UPDATE `terms_epoch` SET `epoch` = max(`epoch` + 1, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)); END;
--> statement-breakpoint
CREATE TRIGGER `partners_insert_terms_epoch` AFTER INSERT ON `partners` BEGIN UPDATE `terms_epoch` SET `epoch` = max(`epoch` + 1, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)); END;
--> statement-breakpoint
CREATE TRIGGER `partners_update_terms_epoch` AFTER UPDATE OF `status`, `requests_per_minute`, `id` ON `partners` WHEN old.`status` IS NOT new.`status` OR old.`requests_per_minute` IS NOT new.`requests_per_minute` OR old.`id` IS NOT new.`id` BEGIN UPDATE `terms_epoch` SET `epoch` = max(`epoch` + 1, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)); END;
--> statement-breakpoint
CREATE TRIGGER `partners_delete_terms_epoch` AFTER DELETE ON `partners` BEGIN UPDATE `terms_epoch` SET `epoch` = max(`epoch` + 1, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)); END;
