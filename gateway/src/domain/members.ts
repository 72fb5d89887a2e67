import type { Db } from "../db/client";
import { balanceOf, ensureAccount } from "../db/queries/accounts";
import { listExpiryLots, sumConsumedPoints } from "../db/queries/expiry";
import { findMemberCardsAndScores } from "../db/queries/member-extras";
import {
  findExternalIds,
  findMemberErasure,
  insertMemberStatement,
  listMembersPage,
  type MemberProfileChanges,
  tooManyAttributesError,
  updateMemberProfileStatement,
  writtenAttributes,
} from "../db/queries/members";
import { outboxInsert } from "../db/queries/outbox";
import type { PageQuery } from "../db/queries/pages";
import type { SqlReader } from "../db/reader";
import type { members } from "../db/schema";
import type { Deps } from "../deps";
import { ApiError } from "../errors";
import type { MemberAccess } from "./access";
import type { Card } from "./cards";
import { accountIds, pointsExpireAt } from "./ledger/accounts";
import { commitUnit, type IdempotencyRecord, retryingStaleWrites } from "./ledger/movement";
import { ensureNotErased, writeUnlessErased } from "./privacy/erased";
import { ensureOpen, type Program } from "./programs";
import { promotionConstraintMeaning } from "./promotions/earn-effects";
import { eventPromotionEffects } from "./promotions/event-effects";
import { type MemberRfmView, memberRfms, rfmView } from "./rfm/member-rfm";
import { type MemberTierView, memberTiers } from "./tiers/member-tier";
import { progressToNext } from "./tiers/qualify";
import { tierTableOf } from "./tiers/table-read";

export type Member = typeof members.$inferSelect;

export type Balance = {
  available: number;
  pending: number;
  lifetime_earned: number;
  expiring: { points: number; expires_at: string }[];
};

/** The most attributes a member may have. */
export const maxAttributes = 50;

/** The program's own facts about a member: flat values only (the API refuses objects and lists). */
export type Attributes = Record<string, string | number | boolean>;

/** What the member object shows beside the member's own row: balance, cards, the referrer's external id. */
export type MemberDetails = {
  balance: Balance;
  cards: Pick<Card, "number" | "linkedAt">[];
  referredBy: string | null;
  /** Null while the program has no tiers. */
  tier: MemberTierView | null;
  /** Null while the member is not scored (./rfm). */
  rfm: MemberRfmView | null;
};

/** How a member object is presented (routes/members/schemas.ts toMember). */
export type PresentMember = (member: Member, details: MemberDetails) => unknown;

/** Everything the member object needs beside `access.member`, read together. */
export async function memberDetails(
  deps: Pick<Deps, "reader" | "db" | "clock">,
  access: MemberAccess,
): Promise<MemberDetails> {
  const [balance, extras, referredBy, tiers] = await Promise.all([
    memberBalance(deps.reader, access),
    access.extras ?? findMemberCardsAndScores(deps.reader, access.member.id),
    memberReferrer(deps.db, access.member),
    memberTiers(deps.reader, access.program, [access.member], deps.clock.now()),
  ]);
  const id = access.member.id;
  return {
    balance,
    cards: extras.cards,
    referredBy,
    tier: tiers.get(id) ?? null,
    rfm: extras.scores ? rfmView(extras.scores) : null,
  };
}

/** A member's attributes, parsed from their stored JSON. */
export const attributesOf = (member: Pick<Member, "attributes">): Attributes => JSON.parse(member.attributes);

/** The date today is in the program's time zone, as YYYY-MM-DD (en-CA formats dates so). */
const todayIn = (program: Pick<Program, "timezone">, now: Date) =>
  new Intl.DateTimeFormat("en-CA", {
    timeZone: program.timezone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(now);

/** 400 for a birth date after today in the program's time zone (the API's schema checks it is a real date). */
function checkBirthDate(birthDate: string | null | undefined, program: Program, now: Date): void {
  if (birthDate && birthDate > todayIn(program, now))
    throw new ApiError("validation_failed", "birth_date is in the future.", {
      errors: [{ path: "birth_date", message: "must not be in the future" }],
    });
}

/**
 * Enrols a member: the member row, its two accounts, the bonuses of the program's `enrolment` promotions
 * (./promotions/event-effects.ts: no parent transaction, reference `enrolment`, the member seen in the entry tier),
 * the `member.enrolled` events and the idempotency record in one atomic write. The body is built first so the
 * stored response is exactly what is returned; its balance is the one the write leaves. A closed program takes no
 * members (409 `invalid_state`); a referrer must be a member of the same program.
 */
export async function enrolMember(
  deps: Pick<Deps, "db" | "reader" | "writer" | "clock" | "ids">,
  input: {
    program: Program;
    partnerId: string;
    externalId: string;
    email?: string | null;
    name?: string | null;
    locale?: string | null;
    attributes?: Attributes;
    birthDate?: string | null;
    referredByExternalId?: string;
  },
  present: PresentMember,
  idempotency?: IdempotencyRecord,
): Promise<{ status: number; body: string }> {
  ensureOpen(input.program);
  const now = deps.clock.now();
  checkBirthDate(input.birthDate, input.program, now);
  const referrer = input.referredByExternalId;
  const found = referrer === undefined ? null : await findMemberErasure(deps.reader, input.program.id, referrer);
  if (found === undefined || found?.erasedAt)
    throw new ApiError(
      "validation_failed",
      found
        ? `Member ${referrer} of program ${input.program.id} was erased; an erased member refers no one.`
        : `No member ${referrer} in program ${input.program.id} to be the referrer.`,
      {
        errors: [
          {
            path: "referred_by_external_id",
            message: found ? "is an erased member" : "is not a member of this program",
          },
        ],
      },
    );
  const referredByMemberId = found?.id ?? null;
  const member: Member = {
    id: deps.ids("mem"),
    programId: input.program.id,
    externalId: input.externalId,
    email: input.email ?? null,
    name: input.name ?? null,
    locale: input.locale ?? null,
    enrolledBy: input.partnerId,
    lifetimeEarned: 0,
    attributes: JSON.stringify(input.attributes ?? {}),
    birthDate: input.birthDate ?? null,
    referredByMemberId,
    // The write places the member in the program's entry tier, if the program has tiers.
    tierKey: null,
    tierSince: null,
    tierHeldUntil: null,
    erasedAt: null,
    createdAt: now,
    updatedAt: now,
  };
  // The write places the member in the entry tier as it reads it; the answer shows the tier read here.
  const table = input.program.tierWindowDays === null ? undefined : await tierTableOf(deps.reader, input.program.id);
  const entry = table?.tiers[0];
  const tier: MemberTierView | null = entry
    ? {
        key: entry.key,
        name: entry.name,
        since: now,
        heldUntil: null,
        progress: progressToNext(table.tiers, 0, { points: 0, purchases: 0, spendMinor: 0 }),
      }
    : null;
  const recipients = [...new Set([input.partnerId, input.program.partnerId])];
  const memberAccountId = accountIds.member(member.id);
  let planned = false;
  return retryingStaleWrites(async () => {
    // A write planned again was refused for stale facts: read the promotions anew.
    const fresh = planned;
    planned = true;
    // Enrolment promotions see the member in the entry tier, where the write places it.
    const promotions = await eventPromotionEffects(
      deps,
      {
        program: input.program,
        member: { ...member, tierKey: entry?.key ?? null },
        event: { kind: "enrolment", at: now, partnerId: input.partnerId, channel: null },
        reference: "enrolment",
      },
      fresh,
    );
    const bonuses = promotions?.bonuses ?? [];
    const awarded = bonuses.reduce((sum, bonus) => sum + bonus.transaction.points, 0);
    const expiresAt = pointsExpireAt(input.program, now);
    const details: MemberDetails = {
      // `available` as the write leaves it (the patch below): the enrolment promotions' bonuses.
      balance: {
        available: 0,
        pending: 0,
        lifetime_earned: 0,
        expiring: awarded > 0 && expiresAt ? [{ points: awarded, expires_at: expiresAt.toISOString() }] : [],
      },
      cards: [],
      referredBy: referredByMemberId && (referrer ?? null),
      tier,
      // Scored by the program's next scoring at the earliest, once it has earned.
      rfm: null,
    };
    return commitUnit(
      deps.writer,
      {
        postings: bonuses,
        guards: [
          insertMemberStatement(member),
          ensureAccount({ id: memberAccountId, programId: member.programId, kind: "member", memberId: member.id }),
          ensureAccount({
            id: accountIds.memberHold(member.id),
            programId: member.programId,
            kind: "member_hold",
            memberId: member.id,
          }),
        ],
        effects: promotions?.statements,
        events: [
          ...recipients.map((partnerId) => ({
            id: deps.ids("evt"),
            partnerId,
            type: "member.enrolled" as const,
            at: now,
          })),
          ...(promotions?.events ?? []),
        ],
        body: present(member, details) as Record<string, unknown>,
        bodyPatches: [{ path: "$.balance.available", ...balanceOf(memberAccountId) }],
        status: 201,
        idempotency,
        at: now,
      },
      (violation) =>
        violation.kind === "unique" && violation.constraint.startsWith("members.")
          ? new ApiError(
              "conflict",
              `A member with external_id ${input.externalId} already exists in ${input.program.id}.`,
            )
          : promotionConstraintMeaning(violation),
    );
  });
}

/** What a profile update may change; in `attributes` a key set to null is removed. */
export type ProfileUpdate = {
  email?: string | null;
  name?: string | null;
  locale?: string | null;
  birthDate?: string | null;
  attributes?: Record<string, string | number | boolean | null>;
};

/** The fields of a member that changed, as the API names them, and the attribute keys set or removed. */
export type ProfileChange = { changed: string[]; changedAttributes: string[] };

function profileChange(member: Member, update: ProfileUpdate): ProfileChange {
  const fields = { email: "email", name: "name", locale: "locale", birthDate: "birth_date" } as const;
  const changed = (Object.keys(fields) as (keyof typeof fields)[])
    .filter((key) => update[key] !== undefined && update[key] !== member[key])
    .map((key) => fields[key]);
  const current = attributesOf(member);
  const changedAttributes = Object.entries(update.attributes ?? {})
    .filter(([key, value]) => (value === null ? Object.hasOwn(current, key) : current[key] !== value))
    .map(([key]) => key);
  return { changed: changedAttributes.length > 0 ? [...changed, "attributes"] : changed, changedAttributes };
}

/** The attributes after merging `patch` (a key set to null is removed). */
function mergedAttributes(current: Attributes, patch: ProfileUpdate["attributes"] = {}): Attributes {
  const merged: Attributes = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  return merged;
}

/**
 * Updates a member's profile (PATCH): the fields given replace theirs, `attributes` is merged (a key set to null
 * is removed; at most `maxAttributes` keys after the merge, else 400). The member row and a `member.updated` event
 * (the member, and which fields changed) for the program's owner, the enrolling partner and the caller are one
 * atomic write; an update that changes nothing writes nothing. Answers the member as presented.
 */
export async function updateMemberProfile<T>(
  deps: Pick<Deps, "reader" | "db" | "writer" | "clock" | "ids">,
  access: MemberAccess,
  partnerId: string,
  update: ProfileUpdate,
  present: (member: Member, details: MemberDetails) => T,
): Promise<T> {
  const { member, program } = access;
  ensureNotErased(member);
  const now = deps.clock.now();
  checkBirthDate(update.birthDate, program, now);
  const merged = mergedAttributes(attributesOf(member), update.attributes);
  const count = Object.keys(merged).length;
  if (count > maxAttributes) throw tooManyAttributes(count);
  const details = await memberDetails(deps, access);
  const change = profileChange(member, update);
  if (change.changed.length === 0) return present(member, details);

  const changes: MemberProfileChanges = {
    email: update.email,
    name: update.name,
    locale: update.locale,
    birthDate: update.birthDate,
    attributesPatch: update.attributes && JSON.stringify(update.attributes),
  };
  const updated: Member = {
    ...member,
    ...Object.fromEntries(
      Object.entries(changes).filter(([key, value]) => key !== "attributesPatch" && value !== undefined),
    ),
    attributes: JSON.stringify(merged),
    updatedAt: now,
  };
  const data = {
    member: present(updated, details),
    changed: change.changed,
    changed_attributes: change.changedAttributes,
  };
  // The attributes as the write merged them: a concurrent update of other keys is kept.
  const mergedInWrite = [writtenAttributes("$.member.attributes", member.id)];
  const recipients = [...new Set([program.partnerId, member.enrolledBy, partnerId])];
  let rows: Awaited<ReturnType<Deps["writer"]["write"]>>;
  try {
    // An erase racing the update must not have the member's data written back after it.
    rows = await writeUnlessErased(deps.writer, member.id, [
      updateMemberProfileStatement(member.id, changes, now, maxAttributes),
      ...recipients.flatMap((recipient) =>
        outboxInsert(
          { id: deps.ids("evt"), partnerId: recipient, type: "member.updated", data, at: now },
          mergedInWrite,
        ),
      ),
    ]);
  } catch (error) {
    if (error instanceof Error && tooManyAttributesError.test(`${error.message} ${String(error.cause ?? "")}`))
      throw tooManyAttributes(maxAttributes + 1);
    throw error;
  }
  const written = rows[0]?.[0]?.attributes;
  return present({ ...updated, attributes: typeof written === "string" ? written : updated.attributes }, details);
}

const tooManyAttributes = (count: number) =>
  new ApiError("validation_failed", `A member has at most ${maxAttributes} attributes.`, {
    errors: [{ path: "attributes", message: `would have ${count} keys; at most ${maxAttributes}` }],
  });

/** The external id of the member who referred `member`, or null. */
export async function memberReferrer(db: Db, member: Pick<Member, "referredByMemberId">): Promise<string | null> {
  if (!member.referredByMemberId) return null;
  return (await findExternalIds(db, [member.referredByMemberId])).get(member.referredByMemberId) ?? null;
}

/**
 * A page of a program's members, newest first, with their referrers' external ids, tiers and RFM scores; `tier` keeps
 * the members holding that tier key. `q` matches the start of the
 * external id or any part of the email or name, ignoring case (its lower, upper and title case spellings are tried,
 * since SQLite's `LIKE` ignores the case of ASCII letters only).
 */
export async function listMembers(
  deps: Pick<Deps, "db" | "reader" | "clock">,
  program: Program,
  query: PageQuery & { q?: string; tier?: string },
) {
  const { db } = deps;
  const programId = program.id;
  const q = query.q;
  const spellings = q
    ? [...new Set([q, q.toLowerCase(), q.toUpperCase(), q.charAt(0).toUpperCase() + q.slice(1).toLowerCase()])]
    : undefined;
  const page = await listMembersPage(db, programId, { ...query, spellings });
  return { page, summaries: await memberSummaries(deps, program, page.data) };
}

/** What a member summary shows beside the member's row: the referrer's external id, the tier, the RFM scores. */
export type MemberSummary = [
  member: Member,
  referredBy: string | null,
  tier: MemberTierView | null,
  rfm: MemberRfmView | null,
];

/** Members of one program (a page of a list) with what their summaries show, read in one batch per kind. */
export async function memberSummaries(
  deps: Pick<Deps, "db" | "reader" | "clock">,
  program: Program,
  members: readonly Member[],
): Promise<MemberSummary[]> {
  const referrerIds = new Set(
    members.flatMap((member) => (member.referredByMemberId ? [member.referredByMemberId] : [])),
  );
  const [referrers, tiers, rfms] = await Promise.all([
    findExternalIds(deps.db, [...referrerIds]),
    memberTiers(deps.reader, program, members, deps.clock.now()),
    memberRfms(
      deps.reader,
      members.map((member) => member.id),
    ),
  ]);
  return members.map((member) => [
    member,
    (member.referredByMemberId && referrers.get(member.referredByMemberId)) ?? null,
    tiers.get(member.id) ?? null,
    rfms.get(member.id) ?? null,
  ]);
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
