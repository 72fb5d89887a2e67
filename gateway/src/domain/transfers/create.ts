import { insertFraudEventStatement } from "../../db/queries/fraud";
import { findMemberErasure } from "../../db/queries/members";
import { refusalOf } from "../../db/queries/refusals";
import { insertReviewStatement } from "../../db/queries/reviews";
import { rulesStillInForce } from "../../db/queries/transfer-rules";
import { insertTransferStatement, monthlyMaximumStatement, sumSentInMonth } from "../../db/queries/transfers";
import type { ConstraintViolation } from "../../db/writer";
import type { Deps } from "../../deps";
import { ApiError } from "../../errors";
import type { MemberAccess } from "../access";
import { refuse } from "../fraud/events";
import { burnVerdict, type Verdict } from "../fraud/velocity";
import { holdEventStatements } from "../ledger/hold-events";
import { type CommittedResponse, commitUnit, type IdempotencyRecord, retryingStaleWrites } from "../ledger/movement";
import { ensureNotErased } from "../privacy/erased";
import { holdPosting, transferPatches, transferPostings } from "./postings";
import { type TransferRules, transferRulesOf } from "./rules";
import { monthIn, type Transfer, transferAmounts, transferBody } from "./transfer";

const dayMs = 86_400_000;

export type TransferInput = {
  /** The sender, as the calling partner may burn for it (domain/access.ts, need "burn"). */
  access: MemberAccess;
  partnerId: string;
  toExternalId: string;
  points: number;
  reference: string;
};

type TransferDeps = Pick<Deps, "reader" | "writer" | "clock" | "realClock" | "ids" | "limiter" | "log">;

const invalid = (path: string, message: string) =>
  new ApiError("validation_failed", `The transfer is not valid: ${path} ${message}.`, {
    errors: [{ path, message }],
  });

/**
 * Gives points from one member to another of the same program, under the program's transfer rules, in one atomic
 * write: the transfer, both legs and the fee (./postings.ts), its events and its idempotency record. The write
 * itself refuses it when the rules it was planned on changed (planned again), when the sender would pass its
 * monthly maximum with transfers that raced it (409 `limit_exceeded`) or go below zero (409
 * `insufficient_points`). The sender's velocity rules and the program's review threshold apply as to a burn: a
 * held transfer reserves the points in the sender's hold and opens a review (202 `held`).
 */
export async function createTransfer(
  deps: TransferDeps,
  input: TransferInput,
  idempotency?: IdempotencyRecord,
): Promise<CommittedResponse> {
  const { program, member: sender } = input.access;
  ensureNotErased(sender);
  const now = deps.clock.now();
  // Giving points to oneself is a bad request whatever the program's rules.
  if (input.toExternalId === sender.externalId) throw invalid("to_external_id", "must not be the sender");
  let rules = await enabledRules(deps, program.id);
  checkAmount(rules, input.points);
  const receiver = await findMemberErasure(deps.reader, program.id, input.toExternalId);
  if (!receiver) throw new ApiError("not_found", `No member ${input.toExternalId} in program ${program.id}.`);
  ensureNotErased({ externalId: input.toExternalId, programId: program.id, erasedAt: receiver.erasedAt });
  const receiverId = receiver.id;
  checkMembershipAge(rules, input.access, now);
  const month = monthIn(program.timezone, now);
  await checkMonthlyMaximum(deps, rules, sender.id, month, input.points);

  const verdict = await burnVerdict(deps, input.access, input.points);
  const fraudContext = {
    operation: "burn" as const,
    partnerId: input.partnerId,
    programId: program.id,
    memberId: sender.id,
    points: input.points,
  };
  if (verdict.action === "reject") await refuse(deps, verdict, fraudContext);

  let planned = false;
  return retryingStaleWrites(async () => {
    // Planned again only when the rules changed under the write: read them and check again.
    if (planned) {
      rules = await enabledRules(deps, program.id);
      checkAmount(rules, input.points);
      checkMembershipAge(rules, input.access, now);
      await checkMonthlyMaximum(deps, rules, sender.id, month, input.points);
    }
    planned = true;
    const held = verdict.action === "hold";
    const transfer: Transfer = {
      id: deps.ids("trf"),
      programId: program.id,
      fromMemberId: sender.id,
      toMemberId: receiverId,
      partnerId: input.partnerId,
      points: input.points,
      ...transferAmounts(input.points, rules.feeBps),
      reference: input.reference,
      status: held ? "held" : "completed",
      month,
      outTransactionId: deps.ids("txn"),
      inTransactionId: held ? null : deps.ids("txn"),
      reviewId: held ? deps.ids("rev") : null,
      createdAt: now,
      updatedAt: now,
    };
    const context = { transfer, at: now, program };
    const max = rules.maxPointsPerMemberPerMonth;
    const hold = holdPosting(context, transfer.outTransactionId);
    const postings = transfer.inTransactionId
      ? transferPostings(context, { out: transfer.outTransactionId, in: transfer.inTransactionId })
      : [hold];
    return commitUnit(
      deps.writer,
      {
        guards: [
          rulesStillInForce(rules),
          insertTransferStatement(transfer),
          ...(max === null ? [] : [monthlyMaximumStatement(sender.id, month, max)]),
          ...heldStatements(deps, verdict, transfer, fraudContext, now),
        ],
        postings,
        // A held transfer moves the sender's points into its hold: that movement is announced now.
        effects: transfer.inTransactionId
          ? []
          : holdEventStatements(deps, {
              type: "points.held",
              transaction: hold.transaction,
              externalId: sender.externalId,
              recipients: [program.partnerId, input.partnerId],
              at: now,
            }),
        // points.transferred when it completes (at once, or when its review approves it).
        events: held
          ? []
          : [...new Set([program.partnerId, input.partnerId])].map((partnerId) => ({
              id: deps.ids("evt"),
              partnerId,
              type: "points.transferred" as const,
              at: now,
            })),
        body: transferBody(transfer, { fromExternalId: sender.externalId, toExternalId: input.toExternalId }),
        bodyPatches: transferPatches(transfer, "$", !held),
        status: held ? 202 : 201,
        idempotency,
      },
      (violation: ConstraintViolation) =>
        refusalOf(violation) === "limit_exceeded" && max !== null ? monthlyMaximumExceeded(max, month) : undefined,
    );
  });
}

/** The program's rules, when transfers are on in it (else 403 `transfers_disabled`). */
async function enabledRules(deps: Pick<Deps, "reader">, programId: string): Promise<TransferRules> {
  const rules = await transferRulesOf(deps.reader, programId);
  if (!rules.enabled)
    throw new ApiError("transfers_disabled", `Transfers between members are disabled in program ${programId}.`);
  return rules;
}

/** 400 at `points` below the program's minimum, or when the fee would leave the receiver nothing. */
function checkAmount(rules: TransferRules, points: number): void {
  if (points < rules.minPoints) throw invalid("points", `must be at least ${rules.minPoints}`);
  if (transferAmounts(points, rules.feeBps).receivedPoints === 0)
    throw invalid("points", `leaves nothing to receive after the fee of ${rules.feeBps / 100}%`);
}

/** 403 `not_eligible` while the sender has been a member for less than the program's minimum (business time). */
function checkMembershipAge(rules: TransferRules, access: MemberAccess, now: Date): void {
  const since = access.member.createdAt.getTime() + rules.minMembershipDays * dayMs;
  if (now.getTime() < since)
    throw new ApiError(
      "not_eligible",
      `Members may send points after ${rules.minMembershipDays} days of membership; member ${access.member.externalId} may from ${new Date(since).toISOString()}.`,
    );
}

const monthlyMaximumExceeded = (max: number, month: string, sent?: number) =>
  new ApiError(
    "limit_exceeded",
    `A member may send at most ${max} points per calendar month (${month} in the program's time zone)` +
      (sent === undefined ? "; this transfer would pass it." : `; ${sent} sent already, ${max - sent} left.`),
  );

/** 409 `limit_exceeded` early, with the numbers, when the sender's month is already too full (the write checks again). */
async function checkMonthlyMaximum(
  deps: Pick<Deps, "reader">,
  rules: TransferRules,
  memberId: string,
  month: string,
  points: number,
): Promise<void> {
  const max = rules.maxPointsPerMemberPerMonth;
  if (max === null) return;
  const sent = await sumSentInMonth(deps.reader, memberId, month);
  if (sent + points > max) throw monthlyMaximumExceeded(max, month, sent);
}

/** A held transfer's review and fraud event, in the same write as its hold. */
function heldStatements(
  deps: Pick<Deps, "ids">,
  verdict: Verdict,
  transfer: Transfer,
  context: { operation: "burn"; partnerId: string; programId: string; memberId: string; points: number },
  now: Date,
) {
  if (verdict.action !== "hold" || !transfer.reviewId) return [];
  return [
    insertReviewStatement({
      id: transfer.reviewId,
      kind: "transfer",
      transferId: transfer.id,
      holdTransactionId: transfer.outTransactionId,
      reference: transfer.reference,
      partnerId: transfer.partnerId,
      programId: transfer.programId,
      memberId: transfer.fromMemberId,
      points: transfer.points,
      rule: verdict.rule,
      reason: verdict.reason,
      createdAt: now,
    }),
    insertFraudEventStatement({
      id: deps.ids("fev"),
      rule: verdict.rule,
      decision: "held",
      ...context,
      detail: verdict.reason,
      reviewId: transfer.reviewId,
      at: now,
    }),
  ];
}
