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
    const { owner, programId, enrol, move } = await setupProgram(gw);
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

  it("a refusal that comes before the route's own read (unknown program, unknown member, a replay) still checks the standing", async () => {
    const { owner, programId, enrol, move } = await setupProgram(gw);
    const member = await enrol();
    const key = "standing-replay-1";
    expect((await move("earn", member, 100, { key })).status).toBe(201);
    expect((await move("earn", member, 100, { key })).status).toBe(201);

    other.prepare("update credentials set revoked_at = 1 where partner_id = ?").run(owner.partner.id);
    // A replay answers from the idempotency record, before any member read: refused all the same.
    expect((await move("earn", member, 100, { key })).status).toBe(401);
    expect((await move("earn", "NOBODY", 100)).status).toBe(401);
    const unknownProgram = await gw.call("GET", "/v1/programs/prg_unknown/members/M-1", { token: owner.token });
    expect(unknownProgram.status).toBe(401);
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
    expect(epoch()).toBe(last);
  });
});
