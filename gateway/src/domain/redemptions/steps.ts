import { addToReversedPoints } from "../../db/queries/ledger";
import {
  findRedemption,
  findRedemptionCodes,
  type RedemptionChange,
  type RedemptionRow,
  type RedemptionStatus,
  stepStatements,
  takeStockStatement,
  voidCodesStatement,
} from "../../db/queries/redemptions";
import { refusalOf } from "../../db/queries/refusals";
import type { Deps } from "../../deps";
import { ApiError } from "../../errors";
import { type CommittedResponse, commitUnit, type IdempotencyRecord } from "../ledger/movement";
import type { EventType } from "../outbox";
import type { Caller } from "../programs";
import { redemptionPosting } from "./postings";
import { ensureMay, type RedemptionStep, redemptionBody, redemptionRecipients } from "./redemption";

type StepDeps = Pick<Deps, "reader" | "writer" | "clock" | "ids">;

/** Each step: the status it takes an order from and to, and the event it sends. */
const steps = {
  fulfil: { from: "pending", to: "fulfilled", done: "fulfilled", event: "redemption.fulfilled" },
  cancel: { from: "pending", to: "cancelled", done: "cancelled", event: "redemption.cancelled" },
  return: { from: "fulfilled", to: "returned", done: "returned", event: "redemption.returned" },
} as const satisfies Record<
  Exclude<RedemptionStep, "read">,
  { from: RedemptionStatus; to: RedemptionStatus; done: string; event: EventType }
>;

/** What a step writes besides the status: its columns, and for a refund the reversal's description. */
type StepWrite = { change: RedemptionChange; refund?: string };

/**
 * Marks a pending order fulfilled (the fulfilling partner shipped it or rendered the service), with the carrier's
 * tracking reference if given. `redemption.fulfilled` to the owner, the ordering and the fulfilling partner.
 */
export const fulfilRedemption = (
  deps: StepDeps,
  caller: Caller,
  id: string,
  input: { trackingReference?: string | null },
  idempotency?: IdempotencyRecord,
): Promise<CommittedResponse> =>
  stepRedemption(deps, caller, id, "fulfil", idempotency, (now) => ({
    change: {
      fulfilledAt: now,
      ...(input.trackingReference != null && { trackingReference: input.trackingReference }),
    },
  }));

/**
 * Cancels a pending order: the member's points come back (a `reversal` of its burn, which statements net against
 * it), its units go back to the reward's stock, its codes are voided. `redemption.cancelled`.
 */
export const cancelRedemption = (
  deps: StepDeps,
  caller: Caller,
  id: string,
  input: { reason: string },
  idempotency?: IdempotencyRecord,
): Promise<CommittedResponse> =>
  stepRedemption(deps, caller, id, "cancel", idempotency, (now) => ({
    change: { cancelReason: input.reason, cancelledAt: now },
    refund: input.reason,
  }));

/**
 * Takes back a fulfilled product (a reward of type `product` not fulfilled by codes): the member's points come back
 * (a `reversal` of its burn) and its units go back to the reward's stock, as the goods are back with the fulfilling
 * partner (which lowers the stock with a PATCH if they cannot be sold again). `redemption.returned`.
 */
export const returnRedemption = (
  deps: StepDeps,
  caller: Caller,
  id: string,
  input: { reason?: string | null },
  idempotency?: IdempotencyRecord,
): Promise<CommittedResponse> =>
  stepRedemption(deps, caller, id, "return", idempotency, (now) => ({
    change: { returnedAt: now, ...(input.reason != null && { cancelReason: input.reason }) },
    refund: input.reason ?? "returned",
  }));

/**
 * One step of an order's life in one atomic write. Its status is asserted inside the write (`invalid_state`), so of
 * two steps racing exactly one commits; a refund also grows the burn's `reversed_points`, whose CHECK keeps the
 * points coming back at most once whatever happens.
 */
async function stepRedemption(
  deps: StepDeps,
  caller: Caller,
  id: string,
  step: keyof typeof steps,
  idempotency: IdempotencyRecord | undefined,
  write: (now: Date) => StepWrite,
): Promise<CommittedResponse> {
  const spec = steps[step];
  const stored = await findRedemption(deps.reader, id);
  if (!stored) throw new ApiError("not_found", `No redemption ${id}.`);
  ensureMay(caller, stored, step);
  const { redemption, reward } = stored;
  const invalid = (status: string) =>
    new ApiError("invalid_state", `Redemption ${id} is ${status}; only a ${spec.from} order can be ${spec.done}.`);
  if (redemption.status !== spec.from) throw invalid(redemption.status);
  if (step === "return" && (reward.type !== "product" || reward.fulfilment === "code"))
    throw new ApiError(
      "invalid_state",
      `Redemption ${id} is of a ${reward.type} reward fulfilled by ${reward.fulfilment}; only products delivered by a partner can be returned.`,
    );
  const now = deps.clock.now();
  const { change, refund } = write(now);
  const updated: RedemptionRow = { ...redemption, ...change, status: spec.to, updatedAt: now };
  const codes = (await findRedemptionCodes(deps.reader, [id])).get(id) ?? [];
  return commitUnit(
    deps.writer,
    {
      guards: [
        ...stepStatements(id, [spec.from], spec.to, change, now),
        ...(refund === undefined
          ? []
          : [
              takeStockStatement(redemption.rewardId, -redemption.quantity),
              voidCodesStatement(id),
              addToReversedPoints(redemption.transactionId, redemption.points),
            ]),
      ],
      postings:
        refund === undefined
          ? []
          : [
              redemptionPosting("refund", redemption, {
                transactionId: deps.ids("txn"),
                description: refund,
                original: redemption.transactionId,
                at: now,
              }),
            ],
      events: redemptionRecipients(stored).map((partnerId) => ({
        id: deps.ids("evt"),
        partnerId,
        type: spec.event,
        at: now,
      })),
      body: redemptionBody({ ...stored, redemption: updated, codes }),
      status: 200,
      idempotency,
      at: now,
    },
    (violation) => (refusalOf(violation) === "invalid_state" ? invalid(`no longer ${spec.from}`) : undefined),
  );
}
