import { sql } from "drizzle-orm";
import { check, index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { members } from "./members";
import { programs } from "./programs";

/**
 * One contact between a member and the program (a call, an email, a visit), inbound or outbound, as a partner
 * recorded it. Erasing the member removes its `note`; the rest stays for the touchpoint reports.
 */
export const touchpoints = sqliteTable(
  "touchpoints",
  {
    id: text("id").primaryKey(),
    programId: text("program_id")
      .notNull()
      .references(() => programs.id),
    memberId: text("member_id")
      .notNull()
      .references(() => members.id),
    channel: text("channel", {
      enum: ["call_center", "email", "sms", "push", "web", "app", "store", "social", "field"],
    }).notNull(),
    reason: text("reason", {
      enum: [
        "question",
        "redemption",
        "invitation",
        "communication",
        "enrolment",
        "survey",
        "complaint",
        "feedback",
        "other",
      ],
    }).notNull(),
    direction: text("direction", { enum: ["inbound", "outbound"] }).notNull(),
    note: text("note"),
    /** 1..5, when the member rated the contact. */
    rating: integer("rating"),
    /** Who handled it on the program's side (a name or an agent id), as the partner gave it. */
    agent: text("agent"),
    /** The partner whose credential recorded it. */
    recordedBy: text("recorded_by").notNull(),
    occurredAt: integer("occurred_at", { mode: "timestamp_ms" }).notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [
    index("touchpoints_member").on(t.memberId, t.occurredAt, t.id),
    index("touchpoints_program").on(t.programId, t.occurredAt),
    check("touchpoints_rating", sql`${t.rating} is null or ${t.rating} between 1 and 5`),
  ],
);
