import type { members } from "../schema";
import type { Statement } from "../writer";

/** The member's row; its accounts and events go in the same atomic write. */
export const insertMemberStatement = (member: typeof members.$inferSelect): Statement => ({
  sql: `insert into members (id, program_id, external_id, email, name, locale, enrolled_by, lifetime_earned, created_at)
        values (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  args: [
    member.id,
    member.programId,
    member.externalId,
    member.email,
    member.name,
    member.locale,
    member.enrolledBy,
    member.lifetimeEarned,
    member.createdAt.getTime(),
  ],
});

/** Keeps `lifetime_earned` with the movements: earns add to it, reversals of earns take back. */
export const addToLifetimeEarned = (memberId: string, points: number): Statement => ({
  sql: "update members set lifetime_earned = lifetime_earned + ? where id = ?",
  args: [points, memberId],
});
