import { insertQuoteStatement } from "../../db/queries/quotes";
import type { Deps } from "../../deps";
import { ApiError } from "../../errors";
import { memberAccess } from "../access";
import { ensureNotErased } from "../privacy/erased";
import { amountProblem, conversionAmounts } from "./amounts";
import { convertedToday } from "./daily-maximum";
import { otherDatabase } from "./databases";
import { destinationMember } from "./members";
import { type Quote, quoteBody } from "./present";
import { rateInForce } from "./rates";

export type QuoteRequest = {
  partnerId: string;
  fromProgramId: string;
  fromExternalId: string;
  toProgramId: string;
  toExternalId: string;
  fromPoints: number;
};

/**
 * Locks the rate in force for `QUOTE_TTL_SECONDS`. The caller must be allowed to burn in the source
 * program; the amount must respect the rate's minimum, increment and daily maximum (400 naming the
 * allowed values) and the member's available points (409).
 */
export async function createQuote(
  deps: Pick<Deps, "reader" | "writer" | "clock" | "ids" | "config" | "shards">,
  request: QuoteRequest,
) {
  const now = deps.clock.now();
  const source = await memberAccess(
    deps.reader,
    request.fromProgramId,
    request.fromExternalId,
    request.partnerId,
    now,
    "burn",
  );
  ensureNotErased(source.member);
  // The rate first: without one, nobody may learn which member numbers exist in the destination program.
  const rate = await rateInForce(deps.reader, request.fromProgramId, request.toProgramId, now);
  // The destination member lives with its program, which may be on another database (docs/scale-out.md).
  const destinationReader = (await otherDatabase(deps, request.toProgramId))?.reader ?? deps.reader;
  const destination = await destinationMember(destinationReader, request.toProgramId, request.toExternalId);
  const leftToday =
    rate.maxPointsPerDay === null
      ? null
      : rate.maxPointsPerDay - (await convertedToday(deps, source.member.id, request.toProgramId, now));
  const problem = amountProblem(request.fromPoints, rate, leftToday);
  if (problem)
    throw new ApiError("validation_failed", `from_points ${problem}.`, {
      errors: [{ path: "from_points", message: problem }],
    });
  const { feePoints, toPoints } = conversionAmounts(request.fromPoints, rate);
  if (toPoints < 1)
    throw new ApiError("validation_failed", "Too few points to convert into one destination point.", {
      errors: [{ path: "from_points", message: `buys less than one point at ${rate.fromPoints}:${rate.toPoints}` }],
    });
  if (source.available < request.fromPoints)
    throw new ApiError("insufficient_points", `The member has ${source.available} available points.`, {
      values: { available: source.available },
    });
  const quote: Quote = {
    id: deps.ids("qt"),
    partnerId: request.partnerId,
    rateId: rate.id,
    fromProgramId: request.fromProgramId,
    fromMemberId: source.member.id,
    toProgramId: request.toProgramId,
    toMemberId: destination.memberId,
    toExternalId: destination.externalId,
    fromPoints: request.fromPoints,
    feePoints,
    toPoints,
    expiresAt: new Date(now.getTime() + deps.config.QUOTE_TTL_SECONDS * 1000),
    createdAt: now,
  };
  await deps.writer.write([insertQuoteStatement(quote)]);
  return quoteBody(quote, rate, { fromExternalId: source.member.externalId, toExternalId: destination.externalId });
}
