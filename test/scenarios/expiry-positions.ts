import { describe, expect, it } from "vitest";
import { setupProgram } from "./fixtures";
import { connect } from "./gateway";
import { expectBody } from "./harness";
import * as op from "./routes";
import { sandboxControls } from "./sandbox-fixtures";
import type { Target } from "./target";

const DAY = 86_400_000;

/**
 * The expiry job and the expiring-soon notices read only the members that changed since their last run (a lot that
 * fell due or came within 30 days, or a new journal row), on a sandbox deployment (SANDBOX=true): points that become
 * expirable again after their lot was read, by a burn reversed or a hold released, still expire on the next run, and
 * a lot spent in full is noticed once a reversal gives its points back.
 */
export function expiryPositionScenarios(target: Target) {
  const gw = connect(target);
  const { now, moveClockTo, runJobs } = sandboxControls(gw);

  describe("expiry after a run read the lot", () => {
    it("expires points a burn reversed or a hold released gives back after their lot fell due, on the next run", async () => {
      const program = await setupProgram(gw, { points_expire_after_days: 10 });
      const history = async (externalId: string) =>
        expectBody(
          await gw.call("GET", `/v1/programs/${program.programId}/members/${externalId}/transactions`, {
            as: program.owner,
          }),
          op.listMemberTransactions,
          200,
        ).data.map((transaction) => [transaction.type, transaction.points]);
      // Ann spends her lot in full; Ben's burn of his is held for review (over the threshold).
      const [ann, ben] = [await program.enrol(), await program.enrol()];
      const earned = await program.earn(ann.externalId, 100);
      const burned = await program.burn(ann.externalId, 100);
      await program.earn(ben.externalId, 100);
      const rules = await gw.call("PUT", `/v1/programs/${program.programId}/velocity-rules`, {
        as: gw.operator,
        body: { review_threshold_points: 50 },
      });
      expect(rules.status).toBe(200);
      const held = expectBody(await program.move("burn", ben.externalId, 100), op.burnPoints, 202);
      if (!earned.expires_at || !held.review_id) throw new Error("the lot expires and the burn is held");

      // Their lots fall due with nothing left in them: the run reads both and expires nothing.
      await moveClockTo(Date.parse(earned.expires_at) + DAY);
      await runJobs();
      expect(await program.balance(ann.externalId)).toMatchObject({ available: 0, expiring: [] });
      expect(await program.balance(ben.externalId)).toMatchObject({ available: 0, pending: 100 });

      // A day later the burn is reversed and the hold rejected: the points come back, and the next run expires them.
      await moveClockTo((await now()) + DAY);
      expect((await program.reverse(burned.id)).status).toBe(201);
      const rejected = await gw.call("POST", `/v1/reviews/${held.review_id}/reject`, { as: gw.operator });
      expect(rejected.status).toBe(200);
      expect(await program.balance(ann.externalId)).toMatchObject({ available: 100 });
      expect(await program.balance(ben.externalId)).toMatchObject({ available: 100, pending: 0 });
      await runJobs();
      expect(await program.balance(ann.externalId)).toMatchObject({ available: 0, expiring: [] });
      expect(await program.balance(ben.externalId)).toMatchObject({ available: 0, pending: 0 });
      expect(await history(ann.externalId)).toEqual([
        ["expiry", 100],
        ["reversal", 100],
        ["burn", 100],
        ["earn", 100],
      ]);
      expect((await history(ben.externalId))[0]).toEqual(["expiry", 100]);
      expect((await runJobs()).expiry).toEqual({ expired_points: 0, members: 0 });
    });

    it("notices a lot spent in full once a reversed burn gives its points back, while it expires within 30 days", async () => {
      const program = await setupProgram(gw, { points_expire_after_days: 60 });
      const ann = await program.enrol();
      const earned = await program.earn(ann.externalId, 100);
      const burned = await program.burn(ann.externalId, 100);
      if (!earned.expires_at) throw new Error("the program's points expire");
      const noticed = () =>
        gw.rows<{ points: number }>("select points from expiry_notices where transaction_id = ?", earned.id);

      await moveClockTo(Date.parse(earned.expires_at) - 30 * DAY);
      await runJobs();
      expect(await noticed()).toEqual([]);

      await moveClockTo((await now()) + DAY);
      expect((await program.reverse(burned.id, { points: 40 })).status).toBe(201);
      await runJobs();
      expect(await noticed()).toEqual([{ points: 40 }]);
      await runJobs();
      expect(await noticed()).toEqual([{ points: 40 }]);
    });
  });
}
