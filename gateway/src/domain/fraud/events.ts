import { type FraudEvent, insertFraudEventStatement } from "../../db/queries/fraud";
import type { Deps } from "../../deps";
import { ApiError, type ErrorCode } from "../../errors";

/** A rejection writes nothing else, so its fraud event is a write of its own. */
async function recordRejection(deps: Pick<Deps, "writer" | "log">, event: FraudEvent): Promise<void> {
  await deps.writer.write([insertFraudEventStatement(event)]);
  deps.log("info", "fraud rule rejected an operation", {
    rule: event.rule,
    partner_id: event.partnerId,
    member_id: event.memberId,
  });
}

/** Records a rejecting verdict and throws its problem (429 naming the rule, with Retry-After). */
export async function refuse(
  deps: Pick<Deps, "writer" | "log" | "ids" | "clock">,
  verdict: { rule: string; code: ErrorCode; detail: string; retryAfterSeconds: number | null },
  context: {
    operation: FraudEvent["operation"];
    partnerId: string;
    programId: string;
    memberId: string;
    points: number;
  },
): Promise<never> {
  await recordRejection(deps, {
    id: deps.ids("fev"),
    rule: verdict.rule,
    decision: "rejected",
    ...context,
    detail: verdict.detail,
    reviewId: null,
    at: deps.clock.now(),
  });
  throw new ApiError(verdict.code, verdict.detail, {
    headers: verdict.retryAfterSeconds ? { "Retry-After": String(verdict.retryAfterSeconds) } : undefined,
    extra: { rule: verdict.rule },
  });
}
