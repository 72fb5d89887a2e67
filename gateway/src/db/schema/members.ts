import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
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
    /** The program's own facts about the member: a JSON object of at most 50 string, number or boolean values. */
    attributes: text("attributes").notNull().default("{}"),
    /** YYYY-MM-DD. */
    birthDate: text("birth_date"),
    /** The member of the same program who referred this one. */
    referredByMemberId: text("referred_by_member_id"),
    /** The member's tier (a key of the program's tier table); null while the program has no tiers. */
    tierKey: text("tier_key"),
    tierSince: integer("tier_since", { mode: "timestamp_ms" }),
    /** The member keeps this tier at least until then; the daily re-evaluation may move it down afterwards. */
    tierHeldUntil: integer("tier_held_until", { mode: "timestamp_ms" }),
    /** When the member's personal data was erased; an erased member cannot earn, burn or open pages. */
    erasedAt: integer("erased_at", { mode: "timestamp_ms" }),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }),
  },
  (t) => [
    uniqueIndex("members_program_external").on(t.programId, t.externalId),
    // Lists and segment samples page newest first within a program: (program_id, id) serves both without a sort.
    index("members_program_id").on(t.programId, t.id),
    index("members_program_tier").on(t.programId, t.tierKey),
    // New members per report bucket count a range of this index.
    index("members_program_created").on(t.programId, t.createdAt),
    index("members_tier_held_until").on(t.tierHeldUntil).where(sql`${t.tierHeldUntil} is not null`),
  ],
);

/**
 * A card number (plastic or digital) linked to a member; unique per program. Unlinking (a lost card) deletes the
 * row; re-linking a number to another member replaces it in one write.
 */
export const memberCards = sqliteTable(
  "member_cards",
  {
    programId: text("program_id")
      .notNull()
      .references(() => programs.id),
    number: text("number").notNull(),
    memberId: text("member_id")
      .notNull()
      .references(() => members.id),
    linkedAt: integer("linked_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.programId, t.number] }), index("member_cards_member").on(t.memberId)],
);
