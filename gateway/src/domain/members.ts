import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { accounts, ledgerTransactions, members } from "../db/schema";
import { ConstraintViolation } from "../db/writer";
import type { Deps } from "../deps";
import { ApiError } from "../http/errors";
import { accountIds, ensureAccount } from "./ledger/accounts";
import { IdempotencyKeyTaken, type IdempotencyRecord } from "./ledger/movement";
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
      ...recipients.map((partnerId) =>
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

export async function findMember(db: Db, programId: string, externalId: string): Promise<Member> {
  const member = await db
    .select()
    .from(members)
    .where(and(eq(members.programId, programId), eq(members.externalId, externalId)))
    .get();
  if (!member) throw new ApiError("not_found", `No member ${externalId} in program ${programId}.`);
  return member;
}

/** Kinds of transaction that add an expiring lot, and those that consume lots oldest first. */
const creditTypes = ["earn", "conversion_in"] as const;
const debitTypes = ["burn", "conversion_out"] as const;

/**
 * The member's balance. `expiring` lists the lots still holding points, oldest first: debits and past
 * expiries consume lots in the order they expire (FIFO), computed from aggregates, never stored per lot.
 */
export async function memberBalance(db: Db, member: Member): Promise<Balance> {
  const rows = await db
    .select({ id: accounts.id, balance: accounts.balance })
    .from(accounts)
    .where(inArray(accounts.id, [accountIds.member(member.id), accountIds.memberHold(member.id)]));
  const balanceOf = (id: string) => rows.find((row) => row.id === id)?.balance ?? 0;
  return {
    available: balanceOf(accountIds.member(member.id)),
    pending: balanceOf(accountIds.memberHold(member.id)),
    lifetime_earned: member.lifetimeEarned,
    expiring: await expiringLots(db, member.id),
  };
}

async function expiringLots(db: Db, memberId: string): Promise<Balance["expiring"]> {
  const lots = await db
    .select({
      points: sql<number>`${ledgerTransactions.points} - ${ledgerTransactions.reversedPoints}`,
      expiresAt: ledgerTransactions.expiresAt,
    })
    .from(ledgerTransactions)
    .where(
      and(
        eq(ledgerTransactions.memberId, memberId),
        inArray(ledgerTransactions.type, [...creditTypes]),
        sql`${ledgerTransactions.expiresAt} is not null`,
      ),
    )
    .orderBy(ledgerTransactions.expiresAt, ledgerTransactions.id);
  if (lots.length === 0) return [];
  const [consumed] = await db
    .select({
      points: sql<number>`coalesce(sum(case when ${ledgerTransactions.type} = 'expiry' then ${ledgerTransactions.points}
        else ${ledgerTransactions.points} - ${ledgerTransactions.reversedPoints} end), 0)`,
    })
    .from(ledgerTransactions)
    .where(and(eq(ledgerTransactions.memberId, memberId), inArray(ledgerTransactions.type, [...debitTypes, "expiry"])));
  let left = consumed?.points ?? 0;
  const expiring = new Map<string, number>();
  for (const lot of lots) {
    const remaining = Math.max(0, lot.points - left);
    left = Math.max(0, left - lot.points);
    if (remaining > 0 && lot.expiresAt) {
      const at = lot.expiresAt.toISOString();
      expiring.set(at, (expiring.get(at) ?? 0) + remaining);
    }
  }
  return [...expiring].slice(0, 12).map(([expires_at, points]) => ({ points, expires_at }));
}
