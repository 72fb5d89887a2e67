import { randomUUID } from "node:crypto";
import type { Request } from "autocannon";
import type { Target } from "./gateway";
import type { ScenarioName } from "./settings";

/** Points per request. Members are pre-funded with far more than any run can burn. */
const earnPoints = 10;
const burnPoints = 1;

/**
 * The request each scenario sends, built fresh per request by autocannon's `setupRequest` hook: a random
 * member of the pool and, for earn and burn, a never-used Idempotency-Key (so nothing is a replay).
 */
export function scenarioRequests(name: ScenarioName, target: Target): Request[] {
  const run = randomUUID().slice(0, 8);
  let sequence = 0;
  const member = () => `${target.memberPrefix}${Math.floor(Math.random() * target.members)}`;
  const auth = { authorization: `Bearer ${target.token}` };

  const balance = (): Request => ({
    method: "GET",
    path: `/v1/programs/${target.programId}/members/${member()}`,
    headers: auth,
    body: "",
  });
  const move = (kind: "earn" | "burn"): Request => {
    const key = `bench-${run}-${++sequence}`;
    return {
      method: "POST",
      path: `/v1/transactions/${kind}`,
      headers: { ...auth, "content-type": "application/json", "idempotency-key": key },
      body: JSON.stringify({
        program_id: target.programId,
        external_id: member(),
        points: kind === "earn" ? earnPoints : burnPoints,
        reference: key,
      }),
    };
  };
  // 60% balance, 30% earn, 10% burn, interleaved exactly by a counter rather than by chance.
  const mixSlots = ["balance", "earn", "balance", "earn", "balance", "burn", "balance", "earn", "balance", "balance"];
  let slot = 0;
  const pick: Record<ScenarioName, () => Request> = {
    earn: () => move("earn"),
    // The very requests of earn: the target points them at the tiered program, so only the tiers differ.
    "earn-tiers": () => move("earn"),
    // Again the very requests of earn, against the program with tiers and five promotions.
    "earn-promotions": () => move("earn"),
    burn: () => move("burn"),
    balance,
    mix: () => {
      const kind = mixSlots[slot++ % mixSlots.length];
      return kind === "balance" ? balance() : move(kind as "earn" | "burn");
    },
  };
  return [{ setupRequest: (request) => ({ ...request, ...pick[name]() }) }];
}
