import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createWorker } from "../../gateway/src/worker";
import { type Answer, onboardPartner, operator, read, tokenFor } from "./support";

async function send(worker: ReturnType<typeof createWorker>, path: string, token: string): Promise<Answer> {
  const ctx = createExecutionContext();
  const response = await worker.fetch(
    new Request(`https://gateway.test${path}`, { headers: { Authorization: `Bearer ${token}` } }),
    env,
    ctx,
  );
  const answer = await read(response);
  await waitOnExecutionContext(ctx);
  return answer;
}

describe("a cold isolate", () => {
  // Regression: concurrent first requests of an isolate must share one key reload (KeyStore.verificationKey),
  // not skip it and answer 401 "signed by an unknown key" for valid tokens.
  it("accepts valid tokens on the first requests that arrive at once", async () => {
    const operatorToken = await tokenFor(operator.clientId, operator.secret);
    const partner = await onboardPartner(operatorToken);
    const worker = createWorker();
    // Started (deps built, migrations checked) but no token verified yet, as a fresh isolate after one /health.
    expect(
      (await read(await worker.fetch(new Request("https://gateway.test/health"), env, createExecutionContext())))
        .status,
    ).toBe(200);
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => send(worker, `/v1/partners/${partner.id}`, operatorToken)),
    );
    expect(answers.map((answer) => [answer.status, answer.body?.detail ?? null])).toEqual(
      Array.from({ length: 10 }, () => [200, null]),
    );
  });
});
