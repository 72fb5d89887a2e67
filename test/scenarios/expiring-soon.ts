import { describe, expect, it } from "vitest";
import { addWebhookEndpoint, setupProgram } from "./fixtures";
import { connect } from "./gateway";
import { sandboxControls } from "./sandbox-fixtures";
import type { Target } from "./target";
import { verifyReceived } from "./verify-webhook";

const DAY = 86_400_000;

/**
 * `points.expiring_soon` on a sandbox deployment (the target runs with SANDBOX=true): the operator moves the test
 * clock to 31, 30 and 29 days before lots expire and runs the jobs; each lot still holding points is noticed once,
 * with what is left of it (FIFO, as its expiry will count), to the program's owner, signed; spent lots never.
 */
export function expiringSoonScenarios(target: Target) {
  const gw = connect(target);

  const { moveClockTo, runJobs } = sandboxControls(gw);

  describe("points.expiring_soon", () => {
    it("notices each lot once, 30 days before it expires, with the points left in it, signed to the owner", async () => {
      const program = await setupProgram(gw, { points_expire_after_days: 60 });
      const receiver = await gw.receiver();
      const endpoint = await addWebhookEndpoint(gw, program.owner, receiver.url, ["points.expiring_soon"]);
      const noticedOf = async () =>
        gw.rows<{ transaction_id: string; points: number; expires_at: number }>(
          "select transaction_id, points, expires_at from expiry_notices where program_id = ? order by expires_at",
          program.programId,
        );

      // Ann's first lot is partly spent (FIFO), her second not; Ben spends his only lot in full.
      const ann = await program.enrol();
      const ben = await program.enrol();
      const first = await program.earn(ann.externalId, 1_000);
      await program.earn(ben.externalId, 400);
      await program.burn(ben.externalId, 400);
      await moveClockTo(Date.parse(first.created_at) + 10 * DAY);
      const second = await program.earn(ann.externalId, 500);
      await program.burn(ann.externalId, 300);
      if (!first.expires_at || !second.expires_at) throw new Error("the program's points expire");
      const firstExpiry = Date.parse(first.expires_at);
      const secondExpiry = Date.parse(second.expires_at);
      expect(secondExpiry - firstExpiry).toBe(10 * DAY);

      await moveClockTo(firstExpiry - 31 * DAY);
      expect((await runJobs()).expiring_soon).toEqual({ notices: 0, points: 0 });

      // Exactly 30 days before: the first lot, with the 700 points the burn left in it, as the balance shows.
      await moveClockTo(firstExpiry - 30 * DAY);
      expect((await runJobs()).expiring_soon).toEqual({ notices: 1, points: 700 });
      expect((await program.balance(ann.externalId)).expiring).toEqual([
        { points: 700, expires_at: first.expires_at },
        { points: 500, expires_at: second.expires_at },
      ]);
      expect(await noticedOf()).toEqual([{ transaction_id: first.id, points: 700, expires_at: firstExpiry }]);

      await moveClockTo(firstExpiry - 29 * DAY);
      expect((await runJobs()).expiring_soon).toEqual({ notices: 0, points: 0 });

      // The second lot's turn, with two runs at once: one notice between them.
      await moveClockTo(secondExpiry - 30 * DAY);
      const both = await Promise.all([runJobs(), runJobs()]);
      expect(both.map((jobs) => jobs.expiring_soon.notices).sort()).toEqual([0, 1]);
      expect(both.reduce((sum, jobs) => sum + jobs.expiring_soon.points, 0)).toBe(500);
      expect((await runJobs()).expiring_soon).toEqual({ notices: 0, points: 0 });
      expect(await noticedOf()).toEqual([
        { transaction_id: first.id, points: 700, expires_at: firstExpiry },
        { transaction_id: second.id, points: 500, expires_at: secondExpiry },
      ]);

      const events = await gw.rows<{ payload: string }>(
        "select payload from events where partner_id = ? and type = 'points.expiring_soon' order by id",
        program.owner.id,
      );
      const expected = [
        { program_id: program.programId, external_id: ann.externalId, points: 700, expires_at: first.expires_at },
        { program_id: program.programId, external_id: ann.externalId, points: 500, expires_at: second.expires_at },
      ];
      expect(events.map((event) => JSON.parse(event.payload).data)).toEqual(expected);

      await gw.settle();
      expect(receiver.received).toHaveLength(2);
      expect(receiver.received.map((received) => verifyReceived(endpoint.secret, received))).toEqual(
        expected.map((data) => ({ type: "points.expiring_soon", timestamp: expect.any(String), data })),
      );
    });
  });
}
