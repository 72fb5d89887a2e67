import { sagaIdempotencyKeyStatement } from "../../db/queries/conversion-sagas";
import { findConversionDetails } from "../../db/queries/conversions";
import type { Statement } from "../../db/writer";
import type { Deps } from "../../deps";
import type { CommittedResponse, ConstraintMeaning, IdempotencyRecord } from "../ledger/movement";
import { deliverMessages } from "../shards/relay";
import { reserveConversion } from "../shards/reserve";
import type { Saga } from "../shards/saga";
import { programDatabase } from "./databases";
import { conversionOutcome, finishedStatus } from "./outcome";
import { type Conversion, conversionBody } from "./present";

/** A conversion's saga (its id is the conversion's), reserved by `holdTransactionId` and started at `at`. */
export const sagaOf = (c: Conversion, holdTransactionId: string, at: Date): Saga => ({
  id: c.id,
  partnerId: c.partnerId,
  fromProgramId: c.fromProgramId,
  fromMemberId: c.fromMemberId,
  toProgramId: c.toProgramId,
  toMemberId: c.toMemberId,
  fromPoints: c.fromPoints,
  toPoints: c.toPoints,
  holdTransactionId,
  createdAt: at,
});

type Deliveries = Pick<Deps, "reader" | "writer" | "clock" | "ids" | "log" | "shards">;

/**
 * Converts between programs on different databases (docs/scale-out.md, section 3): one write in the source reserves
 * the points (the conversion `pending` with its quote claimed, the daily maximum, the saga, its credit order, the
 * Idempotency-Key's record), then the saga is carried to the destination and back at once. It answers the outcome
 * when both ends committed before the answer, else 202 `pending`, which the relay finishes later.
 */
export async function convertAcrossDatabases(
  deps: Deliveries,
  destination: Deliveries,
  input: {
    conversion: Conversion & { holdTransactionId: string };
    body: Record<string, unknown>;
    guards: Statement[];
    destinationExpiresAfterDays: number | null;
    idempotency?: IdempotencyRecord;
  },
  meaning: ConstraintMeaning,
): Promise<CommittedResponse> {
  const { conversion, idempotency } = input;
  const reserved = await reserveConversion(
    deps,
    {
      saga: sagaOf(conversion, conversion.holdTransactionId, conversion.createdAt),
      destinationExpiresAfterDays: input.destinationExpiresAfterDays,
      ids: deps.ids,
      request: {
        guards: [
          ...input.guards,
          ...(idempotency ? [sagaIdempotencyKeyStatement(conversion.id, idempotency.key)] : []),
        ],
        body: input.body,
        status: 202,
        idempotency,
      },
    },
    meaning,
  );
  return (await driveConversion(deps, destination, conversion.id)) ?? reserved;
}

/**
 * Carries one conversion's saga now, as the relay would: its credit order to the destination, the destination's reply
 * back to the source. Answers the finished conversion as its saga's end stored it, or undefined while it is pending
 * (a database could not be reached: its message stays in the outbox for the relay).
 */
export async function driveConversion(
  source: Deliveries,
  destination: Deliveries,
  id: string,
): Promise<CommittedResponse | undefined> {
  if (!source.shards) throw new Error("a conversion between databases without the shards");
  const databaseFor = programDatabase(source.shards);
  const options = { sagaId: id, finishing: conversionOutcome(source.ids) };
  const now = () => source.clock.now();
  for (const from of [source, destination]) {
    const { failures } = await deliverMessages(from, databaseFor, source.ids, now, 10, options);
    const [failure] = failures;
    if (failure) {
      source.log("warn", "conversion pending: the relay will carry its saga on", {
        conversion_id: id,
        error: String(failure.error),
      });
      return undefined;
    }
  }
  const found = await findConversionDetails(source.reader, id);
  if (!found || found.conversion.status === "pending") return undefined;
  const body = conversionBody(found.conversion, found.rate, found.sides, found.failureReason);
  return { status: finishedStatus, body: JSON.stringify(body) };
}
