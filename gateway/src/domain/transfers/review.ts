import { outboxInsert } from "../../db/queries/outbox";
import { decideReviewStatements } from "../../db/queries/reviews";
import { decideTransferStatement, findHeldTransfer } from "../../db/queries/transfers";
import type { ConstraintViolation } from "../../db/writer";
import type { Deps } from "../../deps";
import { ApiError } from "../../errors";
import { holdEventStatements } from "../ledger/hold-events";
import { type CommittedResponse, commitUnit, type IdempotencyRecord } from "../ledger/movement";
import { decidedReviewBody } from "../review-decision";
import type { Decision } from "../reviews";
import { releasePosting, transferPatches, transferPostings } from "./postings";
import { type Transfer, transferBody } from "./transfer";

/**
 * Decides a held transfer in one atomic write: approving completes it (the held points leave the sender's hold
 * through its `transfer_out`, the receiver is credited, the fee stays with the program; `points.transferred` to the
 * program's owner and the partner that asked), rejecting gives the points back (a `release`; the transfer no longer
 * counts towards the sender's monthly maximum). It stays under the rules it was made under: a change of rules
 * meanwhile does not touch it. A second decision fails on the decision row's key (409).
 */
export async function decideTransferReview(
  deps: Pick<Deps, "reader" | "writer" | "clock" | "ids">,
  input: { reviewId: string; decision: Decision; decidedBy: string; reason: string | null },
  idempotency?: IdempotencyRecord,
): Promise<CommittedResponse> {
  const now = deps.clock.now();
  const held = await findHeldTransfer(deps.reader, input.reviewId);
  if (!held) throw new ApiError("not_found", `No review ${input.reviewId}.`);
  const { review, sides, program } = held;
  if (review.status !== "pending") throw new ApiError("conflict", `Review ${review.id} is already ${review.status}.`);
  const approved = input.decision === "approved";
  const holdTransactionId = held.transfer.outTransactionId;
  const ids = { out: deps.ids("txn"), in: deps.ids("txn") };
  const transfer: Transfer = {
    ...held.transfer,
    status: approved ? "completed" : "rejected",
    // While held (and once rejected) the transfer's out transaction is its hold.
    outTransactionId: approved ? ids.out : holdTransactionId,
    inTransactionId: approved ? ids.in : null,
    updatedAt: now,
  };
  const context = { transfer, at: now, program };
  const transferData = transferBody(transfer, sides, { from: held.balances.from, to: null });
  const release = releasePosting(context, ids.out, holdTransactionId);
  const postings = approved ? transferPostings(context, ids, { holdTransactionId }) : [release];
  return commitUnit(
    deps.writer,
    {
      guards: [
        ...decideReviewStatements({
          reviewId: review.id,
          decision: input.decision,
          decidedBy: input.decidedBy,
          reason: input.reason,
          at: now,
        }),
        decideTransferStatement(transfer.id, transfer),
      ],
      postings,
      // The events carry the transfer with the balances this write leaves, so they are written after the postings.
      effects: approved
        ? [...new Set([program.ownerId, transfer.partnerId])].flatMap((partnerId) =>
            outboxInsert(
              { id: deps.ids("evt"), partnerId, type: "points.transferred", data: transferData, at: now },
              transferPatches(transfer, "$", true),
            ),
          )
        : holdEventStatements(deps, {
            type: "points.released",
            transaction: release.transaction,
            externalId: sides.fromExternalId,
            recipients: [program.ownerId, transfer.partnerId],
            at: now,
          }),
      events: [],
      body: decidedReviewBody(review, input, now, {
        kind: "transfer",
        partnerId: transfer.partnerId,
        programId: transfer.programId,
        memberId: transfer.fromMemberId,
        points: transfer.points,
        transferId: transfer.id,
        transfer: transferData,
      }),
      // A rejected transfer shows the sender's balance after its hold, as it always will (`GET /v1/transfers/{id}`).
      bodyPatches: approved ? transferPatches(transfer, "$.transfer", true) : [],
      status: 200,
      idempotency,
    },
    (violation: ConstraintViolation) =>
      violation.constraint.startsWith("review_decisions.")
        ? new ApiError("conflict", `Review ${review.id} has already been decided.`)
        : undefined,
  );
}
