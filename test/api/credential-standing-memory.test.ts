import Database from "libsql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestGateway, type TestGateway } from "../support/gateway";
import { setupProgram } from "../support/ledger";

let gw: TestGateway;
let other: Database.Database;
beforeAll(async () => {
  gw = await createTestGateway();
  // Another connection on the same file: what a second process (operator:rotate, a second gateway) writes through.
  other = new Database(gw.config.DATABASE_URL.slice("file:".length));
});
afterAll(async () => {
  other.close();
  await gw.close();
});

const epoch = () => (other.prepare("select epoch from terms_epoch").get() as { epoch: number }).epoch;
const transactionsOf = (programId: string) =>
  (other.prepare("select count(*) as n from ledger_transactions where program_id = ?").get(programId) as { n: number })
    .n;

describe("a credential's standing remembered by the hot routes (http/auth.ts, requireScopeOnHotRoute)", () => {
  it("a revocation written by another connection refuses the very next earn, burn and member read, and writes nothing", async () => {
    const { owner, programId, enrol, move } = await setupProgram(gw);
    const member = await enrol();
    // Each hot route twice with nothing changed: the second takes the standing from memory.
    for (let i = 0; i < 2; i++) {
      expect((await move("earn", member, 100)).status).toBe(201);
      expect((await move("burn", member, 1)).status).toBe(201);
      expect((await gw.call("GET", `/v1/programs/${programId}/members/${member}`, { token: owner.token })).status).toBe(
        200,
      );
    }
    const before = transactionsOf(programId);

    other.prepare("update credentials set revoked_at = 1 where partner_id = ?").run(owner.partner.id);
    const earn = await move("earn", member, 100);
    expect(earn.status).toBe(401);
    expect(earn.headers.get("WWW-Authenticate")).toContain("invalid_token");
    expect((await move("burn", member, 1)).status).toBe(401);
    const read = await gw.call("GET", `/v1/programs/${programId}/members/${member}`, { token: owner.token });
    expect(read.status).toBe(401);
    expect(read.text).not.toContain(member);
    expect(transactionsOf(programId)).toBe(before);
  });

  it("a suspension refuses the next hot request with 403, and lifting it lets the next one through", async () => {
    const { owner, enrol, move } = await setupProgram(gw);
    const member = await enrol();
    expect((await move("earn", member, 100)).status).toBe(201);
    expect((await move("earn", member, 100)).status).toBe(201);

    other.prepare("update partners set status = 'suspended' where id = ?").run(owner.partner.id);
    const refused = await move("earn", member, 100);
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe("partner_suspended");
    other.prepare("update partners set status = 'active' where id = ?").run(owner.partner.id);
    expect((await move("earn", member, 100)).status).toBe(201);
  });

  it("a refusal that comes before the route's own read (a replay, an unknown member or program, a bad body, a scope) still checks the standing", async () => {
    // A fresh partner for each case, so no refusal before it has already read the revocation.
    const revokedAfterOneEarn = async () => {
      const setup = await setupProgram(gw);
      const member = await setup.enrol();
      const key = `standing-${member}`;
      const first = () =>
        gw.call("POST", "/v1/transactions/earn", {
          token: setup.owner.token,
          headers: { "Idempotency-Key": key },
          body: { program_id: setup.programId, external_id: member, points: 100, reference: key },
        });
      expect((await first()).status).toBe(201);
      // Taken from memory this time, and answered.
      expect((await setup.move("earn", member, 100)).status).toBe(201);
      other.prepare("update credentials set revoked_at = 1 where partner_id = ?").run(setup.owner.partner.id);
      return { ...setup, member, first };
    };

    const replayed = await revokedAfterOneEarn();
    const replay = await replayed.first();
    expect(replay.status).toBe(401);
    // The refusal does not keep what was particular to the answer it replaced.
    expect(replay.headers.get("Idempotent-Replayed")).toBeNull();

    const unknownMember = await revokedAfterOneEarn();
    expect((await unknownMember.move("earn", "NOBODY", 100)).status).toBe(401);

    const unknownProgram = await revokedAfterOneEarn();
    const read = await gw.call("GET", "/v1/programs/prg_unknown/members/M-1", { token: unknownProgram.owner.token });
    expect(read.status).toBe(401);

    const badBody = await revokedAfterOneEarn();
    const invalid = await gw.call("POST", "/v1/transactions/earn", {
      token: badBody.owner.token,
      headers: { "Idempotency-Key": "standing-bad-body" },
      body: { program_id: badBody.programId, external_id: badBody.member, points: -5 },
    });
    expect(invalid.status).toBe(401);

    // A token without the route's scope, refused before the route, is refused as revoked once it is.
    const scoped = await setupProgram(gw);
    const member = await scoped.enrol();
    const readOnly = await gw.token(scoped.owner.clientId, scoped.owner.secret, "members:read");
    const read2 = await gw.call("GET", `/v1/programs/${scoped.programId}/members/${member}`, { token: readOnly });
    expect(read2.status).toBe(200);
    const forbidden = () => scoped.move("earn", member, 100, { token: readOnly });
    expect((await forbidden()).status).toBe(403);
    expect((await forbidden()).status).toBe(403);
    other.prepare("update credentials set revoked_at = 1 where partner_id = ?").run(scoped.owner.partner.id);
    expect((await forbidden()).status).toBe(401);
  });

  it("a grace period running out revokes by the clock alone, with nothing written", async () => {
    const { owner, enrol, move } = await setupProgram(gw);
    const member = await enrol();
    const endsAt = gw.clock.now().getTime() + 60_000;
    other.prepare("update credentials set revoked_at = ? where partner_id = ?").run(endsAt, owner.partner.id);
    expect((await move("earn", member, 100)).status).toBe(201);
    expect((await move("earn", member, 100)).status).toBe(201);
    gw.clock.advance(60_000);
    expect((await move("earn", member, 100)).status).toBe(401);
  });

  it("the epoch moves with a credential's revocation or partner and a partner's status or limit, not with its last use", async () => {
    const { owner } = await setupProgram(gw);
    let last = epoch();
    const moves = [
      "update credentials set revoked_at = 1 where partner_id = ?",
      "update partners set requests_per_minute = 5 where id = ?",
      "update partners set status = 'suspended' where id = ?",
    ];
    for (const statement of moves) {
      other.prepare(statement).run(owner.partner.id);
      expect(epoch()).toBeGreaterThan(last);
      last = epoch();
    }
    other.prepare("update credentials set last_used_at = ? where partner_id = ?").run(Date.now(), owner.partner.id);
    other.prepare("update partners set name = 'Renamed' where id = ?").run(owner.partner.id);
    // Writing the values a row already has (the operator credential's upsert at every start) moves nothing.
    other
      .prepare("update credentials set revoked_at = revoked_at, partner_id = partner_id where partner_id = ?")
      .run(owner.partner.id);
    other
      .prepare("update partners set status = status, requests_per_minute = requests_per_minute where id = ?")
      .run(owner.partner.id);
    expect(epoch()).toBe(last);
  });
});
