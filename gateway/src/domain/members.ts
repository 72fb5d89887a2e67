import { ensureAccount } from "../db/queries/accounts";
import { listExpiryLots, sumConsumedPoints } from "../db/queries/expiry";
import { insertIdempotencyKeyStatement } from "../db/queries/idempotency";
import { insertMemberStatement } from "../db/queries/members";
import { outboxInsert } from "../db/queries/outbox";
import type { SqlReader } from "../db/reader";
import type { members } from "../db/schema";
import { ConstraintViolation } from "../db/writer";
import type { Deps } from "../deps";
import { ApiError, IdempotencyKeyTaken } from "../errors";
import type { MemberAccess } from "./access";
import { accountIds } from "./ledger/accounts";
import type { IdempotencyRecord } from "./ledger/movement";
import type { Program } from "./programs";

export type Member = typeof members.$inferSelect;

export type Balance = {
  available: number;
  pending: number;
  lifetime_earned: number;
  expiring: { points: number; expires_at: string }[];
};

/**
 * Enrols a member: the member row, its two accounts, the `member.enrolled` events and the idempotency
 * record in one atomic write. The body is built first so the stored response is exactly what is returned.
 */
export async function enrolMember(
  deps: Pick<Deps, "writer" | "clock" | "ids">,
  input: {
    program: Program;
    partnerId: string;
    externalId: string;
    email?: string | null;
    name?: string | null;
    locale?: string | null;
  },
  present: (member: Member, balance: Balance) => unknown,
  idempotency?: IdempotencyRecord,
): Promise<{ status: number; body: string }> {
  const now = deps.clock.now();
  const member: Member = {
    id: deps.ids("mem"),
    programId: input.program.id,
    externalId: input.externalId,
    email: input.email ?? null,
    name: input.name ?? null,
    locale: input.locale ?? null,
    enrolledBy: input.partnerId,
    lifetimeEarned: 0,
    attributes: "{}",
    birthDate: null,
    referredByMemberId: null,
    createdAt: now,
    updatedAt: null,
  };
  const body = JSON.stringify(present(member, { available: 0, pending: 0, lifetime_earned: 0, expiring: [] }));
  const recipients = [...new Set([input.partnerId, input.program.partnerId])];
  try {
    await deps.writer.write([
      insertMemberStatement(member),
      ensureAccount({
        id: accountIds.member(member.id),
        programId: member.programId,
        kind: "member",
        memberId: member.id,
      }),
      ensureAccount({
        id: accountIds.memberHold(member.id),
        programId: member.programId,
        kind: "member_hold",
        memberId: member.id,
      }),
      ...recipients.flatMap((partnerId) =>
        outboxInsert({ id: deps.ids("evt"), partnerId, type: "member.enrolled", data: JSON.parse(body), at: now }),
      ),
      ...(idempotency ? [insertIdempotencyKeyStatement(idempotency, { status: 201, body }, now)] : []),
    ]);
  } catch (error) {
    if (error instanceof ConstraintViolation && error.kind === "unique") {
      if (error.constraint.startsWith("idempotency_keys.")) throw new IdempotencyKeyTaken();
      throw new ApiError(
        "conflict",
        `A member with external_id ${input.externalId} already exists in ${input.program.id}.`,
      );
    }
    throw error;
  }
  return { status: 201, body };
}

/**
 * The member's balance from what `memberAccess` read, plus `expiring`: the lots still holding points,
 * soonest first. Debits and past expiries consume lots in the order they expire (FIFO), computed from
 * aggregates, never stored per lot. Lots exist only in programs whose points expire.
 */
export async function memberBalance(reader: SqlReader, access: MemberAccess): Promise<Balance> {
  return {
    available: access.available,
    pending: access.pending,
    lifetime_earned: access.member.lifetimeEarned,
    expiring: access.program.pointsExpireAfterDays === null ? [] : await expiringLots(reader, access.member.id),
  };
}

async function expiringLots(reader: SqlReader, memberId: string): Promise<Balance["expiring"]> {
  const lots = await listExpiryLots(reader, memberId);
  if (lots.length === 0) return [];
  let left = await sumConsumedPoints(reader, memberId);
  const expiring = new Map<number, number>();
  for (const lot of lots) {
    const remaining = Math.max(0, lot.points - left);
    left = Math.max(0, left - lot.points);
    const at = lot.expiresAt.getTime();
    if (remaining > 0) expiring.set(at, (expiring.get(at) ?? 0) + remaining);
  }
  return [...expiring]
    .slice(0, 12)
    .map(([expiresAt, points]) => ({ points, expires_at: new Date(expiresAt).toISOString() }));
}
