import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { members } from "./members";
import { programs } from "./programs";

/**
 * A group of a program's members: `dynamic` by a rule over their profile and behaviour (evaluated when asked),
 * or `static`, a marketing list of members added by hand. `member_count` is as of `counted_at`.
 */
export const segments = sqliteTable(
  "segments",
  {
    id: text("id").primaryKey(),
    programId: text("program_id")
      .notNull()
      .references(() => programs.id),
    name: text("name").notNull(),
    description: text("description"),
    type: text("type", { enum: ["dynamic", "static"] }).notNull(),
    /** The rule of a dynamic segment, as JSON (db/queries/segment-rules.ts compiles it to SQL); null if static. */
    rule: text("rule"),
    memberCount: integer("member_count").notNull().default(0),
    countedAt: integer("counted_at", { mode: "timestamp_ms" }),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("segments_program").on(t.programId, t.id)],
);

/**
 * Who is in a segment: a static segment's members, or a dynamic segment's members as its last count found
 * them. `joined_at` is when the member joined (added, or first counted in), for the member's activity.
 */
export const segmentMembers = sqliteTable(
  "segment_members",
  {
    segmentId: text("segment_id")
      .notNull()
      .references(() => segments.id),
    memberId: text("member_id")
      .notNull()
      .references(() => members.id),
    joinedAt: integer("joined_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.segmentId, t.memberId] }), index("segment_members_member").on(t.memberId)],
);

/** A member's RFM scores as the program's last scoring computed them; members not scored have no row. */
export const memberRfm = sqliteTable(
  "member_rfm",
  {
    memberId: text("member_id")
      .primaryKey()
      .references(() => members.id),
    programId: text("program_id").notNull(),
    r: integer("r").notNull(),
    f: integer("f").notNull(),
    m: integer("m").notNull(),
    /** Whole days since the last earn, number of earns, and spend (purchase amounts, else points) in the window. */
    recencyDays: integer("recency_days").notNull(),
    frequency: integer("frequency").notNull(),
    monetary: integer("monetary").notNull(),
    segment: text("segment").notNull(),
    computedAt: integer("computed_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("member_rfm_program").on(t.programId, t.r, t.f)],
);

/** The last RFM scoring of a program. */
export const programRfm = sqliteTable("program_rfm", {
  programId: text("program_id")
    .primaryKey()
    .references(() => programs.id),
  windowDays: integer("window_days").notNull(),
  membersScored: integer("members_scored").notNull(),
  computedAt: integer("computed_at", { mode: "timestamp_ms" }).notNull(),
});
