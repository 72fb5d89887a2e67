import { first, type SqlReader } from "../db/reader";
import type { members } from "../db/schema";
import { ConstraintViolation } from "../db/writer";
import type { Deps } from "../deps";
import { ApiError, IdempotencyKeyTaken } from "../errors";
import type { MemberAccess } from "./access";
import { accountIds, ensureAccount } from "./ledger/accounts";
import { consumedPointsSql } from "./ledger/fifo";
import type { IdempotencyRecord } from "./ledger/movement";
import { outboxInsert } from "./outbox";
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
    createdAt: now,
  };
  const body = JSON.stringify(present(member, { available: 0, pending: 0, lifetime_earned: 0, expiring: [] }));
  const recipients = [...new Set([input.partnerId, input.program.partnerId])];
  try {
    await deps.writer.write([
      {
        sql: `insert into members (id, program_id, external_id, email, name, locale, enrolled_by, lifetime_earned, created_at)
              values (?, ?, ?, ?, ?, ?, ?, 0, ?)`,
        args: [
          member.id,
          member.programId,
          member.externalId,
          member.email,
          member.name,
          member.locale,
          member.enrolledBy,
          now.getTime(),
        ],
      },
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
      ...(idempotency
        ? [
            {
              sql: "insert into idempotency_keys (partner_id, key, request_hash, status_code, response_body, created_at) values (?, ?, ?, 201, ?, ?)",
              args: [idempotency.partnerId, idempotency.key, idempotency.requestHash, body, now.getTime()],
            },
          ]
        : []),
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
  const lots = await reader.all<{ points: number; expires_at: number }>(
    `select points - reversed_points as points, expires_at from ledger_transactions
     where member_id = ? and type in ('earn', 'conversion_in') and expires_at is not null
     order by expires_at, id`,
    [memberId],
  );
  if (lots.length === 0) return [];
  const consumed = await first<{ points: number }>(
    reader,
    `select coalesce(sum(${consumedPointsSql("t")}), 0) as points from ledger_transactions t
     where t.member_id = ? and t.type in ('burn', 'conversion_out', 'hold', 'release', 'expiry')`,
    [memberId],
  );
  let left = consumed?.points ?? 0;
  const expiring = new Map<number, number>();
  for (const lot of lots) {
    const remaining = Math.max(0, lot.points - left);
    left = Math.max(0, left - lot.points);
    if (remaining > 0) expiring.set(lot.expires_at, (expiring.get(lot.expires_at) ?? 0) + remaining);
  }
  return [...expiring]
    .slice(0, 12)
    .map(([expiresAt, points]) => ({ points, expires_at: new Date(expiresAt).toISOString() }));
}
