import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestGateway, type TestGateway } from "../support/gateway";
import { expectLedgerInvariants, newKey, setupProgram } from "../support/ledger";

let gw: TestGateway;
beforeAll(async () => {
  gw = await createTestGateway();
});
afterAll(() => gw.close());

type Operation =
  | { kind: "earn"; points: number }
  | { kind: "burn"; points: number }
  | { kind: "burnAround"; offset: -1 | 0 | 1 }
  | { kind: "reverse"; pick: number; points?: number }
  | { kind: "retry"; pick: number };

const operation: fc.Arbitrary<Operation> = fc.oneof(
  fc.record({ kind: fc.constant("earn" as const), points: fc.integer({ min: 1, max: 500 }) }),
  fc.record({ kind: fc.constant("burn" as const), points: fc.integer({ min: 1, max: 600 }) }),
  // Burns right at the edge of the balance, where an off-by-one would hide.
  fc.record({ kind: fc.constant("burnAround" as const), offset: fc.constantFrom(-1 as const, 0 as const, 1 as const) }),
  fc.record(
    { kind: fc.constant("reverse" as const), pick: fc.nat(), points: fc.integer({ min: 1, max: 300 }) },
    { requiredKeys: ["kind", "pick"] },
  ),
  fc.record({ kind: fc.constant("retry" as const), pick: fc.nat() }),
);

/** The simple model the ledger must agree with: a balance and what is left of each movement. */
type Model = { balance: number; movements: { id: string; type: "earn" | "burn"; remaining: number }[] };

describe("the ledger against a simple model (fast-check, seeded)", () => {
  it("agrees on every status and balance for random sequences of earns, burns, reversals and retries", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(operation, { minLength: 1, maxLength: 25 }), async (operations) => {
        const { owner, programId, enrol } = await setupProgram(gw);
        const member = await enrol();
        const model: Model = { balance: 0, movements: [] };
        /** A request with what the model expects of it and how it changes the model when it succeeds. */
        type Step = { path: string; body: unknown; allowed: () => boolean; apply: (body: { id: string }) => void };
        const sent: { step: Step; key: string; status: number; text: string }[] = [];
        const attempt = async (step: Step, key = newKey()) => {
          const allowed = step.allowed();
          const response = await gw.call("POST", step.path, {
            token: owner.token,
            headers: { "Idempotency-Key": key },
            body: step.body,
          });
          expect(response.status, `${step.path} ${response.text}`).toBe(allowed ? 201 : 409);
          if (allowed) {
            step.apply(response.body);
            expect(response.body.balance_after).toBe(model.balance);
          }
          sent.push({ step, key, status: response.status, text: response.text });
        };
        const movementStep = (kind: "earn" | "burn", points: number): Step => ({
          path: `/v1/transactions/${kind}`,
          body: { program_id: programId, external_id: member, points, reference: "model" },
          allowed: () => kind === "earn" || points <= model.balance,
          apply: (body) => {
            model.balance += kind === "earn" ? points : -points;
            model.movements.push({ id: body.id, type: kind, remaining: points });
          },
        });
        const reversalStep = (target: Model["movements"][number], requested?: number): Step => ({
          path: `/v1/transactions/${target.id}/reversals`,
          body: requested ? { points: requested } : {},
          allowed: () => {
            const points = requested ?? target.remaining;
            return (
              target.remaining > 0 && points <= target.remaining && (target.type === "burn" || points <= model.balance)
            );
          },
          apply: () => {
            const points = requested ?? target.remaining;
            target.remaining -= points;
            model.balance += target.type === "earn" ? -points : points;
          },
        });

        for (const op of operations) {
          if (op.kind === "earn" || op.kind === "burn") await attempt(movementStep(op.kind, op.points));
          else if (op.kind === "burnAround")
            await attempt(movementStep("burn", Math.max(1, model.balance + op.offset)));
          else if (op.kind === "reverse") {
            const target = model.movements[op.pick % Math.max(1, model.movements.length)];
            if (target) await attempt(reversalStep(target, op.points));
          } else {
            const earlier = sent[op.pick % Math.max(1, sent.length)];
            if (!earlier) continue;
            if (earlier.status === 201) {
              // A stored success replays byte for byte and changes nothing.
              const response = await gw.call("POST", earlier.step.path, {
                token: owner.token,
                headers: { "Idempotency-Key": earlier.key },
                body: earlier.step.body,
              });
              expect(response.status).toBe(201);
              expect(response.text).toBe(earlier.text);
              expect(response.headers.get("idempotent-replayed")).toBe("true");
            } else {
              // A refusal was not stored: the retry is decided afresh against today's balance.
              await attempt(earlier.step, earlier.key);
            }
          }
        }
        const read = await gw.call("GET", `/v1/programs/${programId}/members/${member}`, { token: owner.token });
        expect(read.body.balance.available).toBe(model.balance);
      }),
      { seed: 20_261_123, numRuns: 40 },
    );
    await expectLedgerInvariants(gw);
  });
});
