import { rewriteSagaAnswerStatement } from "../../db/queries/conversion-sagas";
import { decideConversionStatement, findConversionDetails } from "../../db/queries/conversions";
import type { NewId } from "../../ids";
import type { FinishRequest } from "../shards/relay";
import { countTowardsDailyMaximum } from "./daily-maximum";
import { conversionBody } from "./present";

/** The status a finished conversion between two databases answers with, whether it completed or failed. */
export const finishedStatus = 201;

/**
 * What a conversion's saga writes with its last step in the source database (domain/shards/finish.ts): the
 * conversion `completed` or `failed` (with the destination's reason), its event to the caller and both programs'
 * owners, on failure its points given back to the daily maximum, and the answer stored under the request's
 * Idempotency-Key rewritten to the outcome. A saga without a conversion row (the simulation's) adds nothing.
 */
export const conversionOutcome =
  (ids: NewId): FinishRequest =>
  async (source, reply, at) => {
    const found = await findConversionDetails(source.reader, reply.sagaId);
    if (!found) return {};
    const failed = reply.outcome === "refused";
    const conversion = {
      ...found.conversion,
      status: failed ? ("failed" as const) : ("completed" as const),
      decidedAt: at,
    };
    const body = conversionBody(conversion, found.rate, found.sides, failed ? reply.reason : null);
    const { maxPointsPerDay } = found.rate;
    return {
      guards: [
        decideConversionStatement(conversion.id, conversion.status, at),
        ...(failed && maxPointsPerDay !== null
          ? [countTowardsDailyMaximum(conversion, maxPointsPerDay, conversion.createdAt, -1)]
          : []),
        rewriteSagaAnswerStatement(conversion.id, finishedStatus, JSON.stringify(body)),
      ],
      events: [...new Set([conversion.partnerId, found.owners.from, found.owners.to])].map((partnerId) => ({
        id: ids("evt"),
        partnerId,
        type: failed ? ("conversion.failed" as const) : ("conversion.completed" as const),
        at,
        data: body,
      })),
    };
  };
