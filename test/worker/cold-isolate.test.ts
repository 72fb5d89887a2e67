import { describe, expect, it } from "vitest";
import { onboardPartner } from "../scenarios/fixtures";
import { connect } from "../scenarios/gateway";
import { useWorkerTarget } from "./target";

const main = useWorkerTarget();
const gw = connect(main);

describe("a cold isolate", () => {
  // Regression: concurrent first requests of an isolate must share one key reload (KeyStore.verificationKey),
  // not skip it and answer 401 "signed by an unknown key" for valid tokens.
  it("accepts valid tokens on the first requests that arrive at once", async () => {
    const operatorToken = await gw.token(gw.operator);
    const partner = await onboardPartner(gw);
    // Another isolate, started (deps built, migrations checked) but with no token verified yet: one /health.
    const cold = connect(useWorkerTarget({}, main.clock));
    expect((await cold.call("GET", "/health")).status).toBe(200);
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => cold.call("GET", `/v1/partners/${partner.id}`, { token: operatorToken })),
    );
    for (const answer of answers) expect(answer.status, answer.text).toBe(200);
  });
});
