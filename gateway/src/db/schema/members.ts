import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { programs } from "./programs";

/** One person's account in one program, keyed by the program's own `external_id`. */
export const members = sqliteTable(
  "members",
  {
    id: text("id").primaryKey(),
    programId: text("program_id")
      .notNull()
      .references(() => programs.id),
    externalId: text("external_id").notNull(),
    email: text("email"),
    name: text("name"),
    locale: text("locale"),
    /** Enrolling partner; the member is visible to every partner with an agreement in the program. */
    enrolledBy: text("enrolled_by").notNull(),
    /** Points ever earned, net of reversed earns; kept by the same batches that move the points. */
    lifetimeEarned: integer("lifetime_earned").notNull().default(0),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [
    uniqueIndex("members_program_external").on(t.programId, t.externalId),
    index("members_program").on(t.programId),
  ],
);
