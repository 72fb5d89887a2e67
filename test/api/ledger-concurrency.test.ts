import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestGateway, type TestGateway } from "../support/gateway";
import { expectLedgerInvariants, newKey, setupProgram } from "../support/ledger";

let gw: TestGateway;
let server: { url: string; stop: () => Promise<void> };
beforeAll(async () => {
  gw = await createTestGateway();
  server = await gw.listen();
});
afterAll(async () => {
  await server.stop();
  await gw.close();
});

type Sent = { key: string; kind: "earn" | "burn" | "reversal"; points: number; status: number; text: string };

/** Over real HTTP, so requests truly overlap in the server, its group commit and the database file. */
async function post(path: string, token: string, key: string, body: unknown) {
  const response = await fetch(`${server.url}${path}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", "Idempotency-Key": key },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    text: await response.text(),
    replayed: response.headers.get("idempotent-replayed"),
  };
}

describe("the ledger under concurrency, over HTTP, on a libSQL file", () => {
  it("never overdraws: of 100 parallel burns of 10 on 500 points, exactly 50 succeed", async () => {
    const { owner, programId, enrol, move, balance } = await setupProgram(gw);
    const member = await enrol();
    await move("earn", member, 500);
    const results = await Promise.all(
      Array.from({ length: 100 }, () =>
        post("/v1/transactions/burn", owner.token, newKey(), {
          program_id: programId,
          external_id: member,
          points: 10,
          reference: "race",
        }),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(50);
    expect(statuses.filter((s) => s === 409)).toHaveLength(50);
    for (const refused of results.filter((r) => r.status === 409))
      expect(JSON.parse(refused.text).code).toBe("insufficient_points");
    expect((await balance(member)).available).toBe(0);
    await expectLedgerInvariants(gw);
  });

  it("never overdraws by adjustment: of 50 parallel debits of 10 on 200 points, exactly 20 succeed", async () => {
    const { owner, programId, enrol, move, balance } = await setupProgram(gw);
    const member = await enrol();
    await move("earn", member, 200);
    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        post("/v1/transactions/adjustments", owner.token, newKey(), {
          program_id: programId,
          external_id: member,
          points: -10,
          reason: "race",
        }),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(20);
    expect(statuses.filter((s) => s === 409)).toHaveLength(30);
    for (const refused of results.filter((r) => r.status === 409))
      expect(JSON.parse(refused.text).code).toBe("insufficient_points");
    expect((await balance(member)).available).toBe(0);
    await expectLedgerInvariants(gw);
  });

  it("gives each idempotency key exactly one effect when the same request races itself", async () => {
    const { owner, programId, enrol, balance } = await setupProgram(gw);
    const member = await enrol();
    const key = newKey();
    const body = { program_id: programId, external_id: member, points: 7, reference: "same-key" };
    const results = await Promise.all(
      Array.from({ length: 40 }, () => post("/v1/transactions/earn", owner.token, key, body)),
    );
    const created = results.filter((r) => r.status === 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(new Set(created.map((r) => r.text)).size).toBe(1);
    expect(created.filter((r) => r.replayed !== "true")).toHaveLength(1);
    for (const other of results.filter((r) => r.status !== 201)) {
      expect(other.status).toBe(409);
      expect(JSON.parse(other.text).code).toBe("idempotency_in_flight");
    }
    expect((await balance(member)).available).toBe(7);
  });

  it("keeps every invariant through hundreds of mixed earns, burns, reversals and retries", async () => {
    const { owner, programId, enrol, move, balance } = await setupProgram(gw);
    const member = await enrol();
    const seed = await move("earn", member, 1_000);
    const earns = await Promise.all(Array.from({ length: 20 }, () => move("earn", member, 50)));
    const reversible = [seed.body.id, ...earns.map((e) => e.body.id)];

    const operations: (() => Promise<Sent>)[] = [];
    const send = (kind: Sent["kind"], points: number, path: string, body: unknown) => {
      const key = newKey();
      const once = async () => ({ key, kind, points, ...(await post(path, owner.token, key, body)) });
      // Every operation is sent twice, as a client retrying on a timeout would.
      operations.push(once, once);
    };
    for (let i = 0; i < 120; i++) {
      const roll = i % 4;
      if (roll === 0 || roll === 1)
        send("burn", 15, "/v1/transactions/burn", {
          program_id: programId,
          external_id: member,
          points: 15,
          reference: `b${i}`,
        });
      else if (roll === 2)
        send("earn", 9, "/v1/transactions/earn", {
          program_id: programId,
          external_id: member,
          points: 9,
          reference: `e${i}`,
        });
      else send("reversal", 13, `/v1/transactions/${reversible[i % reversible.length]}/reversals`, { points: 13 });
    }
    const results = await Promise.all(operations.map((operation) => operation()));
    expect(results).toHaveLength(240);

    const byKey = new Map<string, Sent[]>();
    for (const result of results) byKey.set(result.key, [...(byKey.get(result.key) ?? []), result]);
    let expected = 2_000;
    for (const [key, attempts] of byKey) {
      const succeeded = attempts.filter((a) => a.status === 201);
      // The two sends of one key: same bytes when both succeeded; never two different effects.
      expect(new Set(succeeded.map((a) => a.text)).size, key).toBeLessThanOrEqual(1);
      for (const attempt of attempts)
        expect([201, 409], `${attempt.kind} ${attempt.status} ${attempt.text}`).toContain(attempt.status);
      const rows = await gw.deps.db.all<{ n: number }>(
        sql`select count(*) as n from idempotency_keys where key = ${key} and partner_id = ${owner.partner.id}`,
      );
      expect(rows[0]?.n).toBe(succeeded.length > 0 ? 1 : 0);
      if (succeeded.length > 0) {
        const { kind, points } = attempts[0] as Sent;
        expected += kind === "earn" ? points : -points;
        // A replay later, after the race, is byte-identical to the first response.
        const replay = await post(
          JSON.parse(succeeded[0]?.text ?? "{}").type === "reversal"
            ? `/v1/transactions/${JSON.parse(succeeded[0]?.text ?? "{}").original_transaction_id}/reversals`
            : `/v1/transactions/${kind}`,
          owner.token,
          key,
          kind === "reversal"
            ? { points }
            : {
                program_id: programId,
                external_id: member,
                points,
                reference: JSON.parse(succeeded[0]?.text ?? "{}").reference,
              },
        );
        expect(replay.text).toBe(succeeded[0]?.text);
        expect(replay.replayed).toBe("true");
      }
    }
    const final = await balance(member);
    expect(final.available).toBe(expected);
    expect(final.available).toBeGreaterThanOrEqual(0);
    const overReversed = await gw.deps.db.all(sql`select id from ledger_transactions where reversed_points > points`);
    expect(overReversed).toEqual([]);
    await expectLedgerInvariants(gw);
  });
});
