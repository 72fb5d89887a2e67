import Database from "libsql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestGateway, type TestGateway } from "../support/gateway";
import { setupProgram } from "../support/ledger";

let gw: TestGateway;
let other: Database.Database;
beforeAll(async () => {
  gw = await createTestGateway();
  // Another connection on the same file: what a second process (a script, a second gateway) writes through.
  other = new Database(gw.config.DATABASE_URL.slice("file:".length));
});
afterAll(async () => {
  other.close();
  await gw.close();
});

const epoch = () => (other.prepare("select epoch from terms_epoch").get() as { epoch: number }).epoch;

describe("program terms remembered in memory (db/queries/access.ts)", () => {
  it("a change made by another connection counts on the very next request: agreement, velocity rules, program", async () => {
    const { owner, programId, enrol, move } = await setupProgram(gw);
    const member = await enrol();
    // Two requests with nothing changed between them: the terms are read once and remembered.
    expect((await move("earn", member, 100)).status).toBe(201);
    expect((await move("earn", member, 100)).status).toBe(201);

    other
      .prepare("update agreements set can_earn = 0 where program_id = ? and partner_id = ?")
      .run(programId, owner.partner.id);
    const refused = await move("earn", member, 100);
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toContain("does not allow earning");
    other.prepare("update agreements set can_earn = 1 where program_id = ?").run(programId);
    expect((await move("earn", member, 100)).status).toBe(201);

    other
      .prepare(
        "insert into program_velocity_rules (program_id, max_burns_per_member_per_hour, updated_at) values (?, 1, ?)",
      )
      .run(programId, Date.now());
    expect((await move("burn", member, 1)).status).toBe(201);
    const limited = await move("burn", member, 1);
    expect(limited.status).toBe(429);
    other.prepare("delete from program_velocity_rules where program_id = ?").run(programId);
    expect((await move("burn", member, 1)).status).toBe(201);

    other.prepare("update programs set status = 'closed' where id = ?").run(programId);
    expect((await move("earn", member, 100)).status).toBe(409);
    // A read still answers, with the balance the writes above left.
    const read = await gw.call("GET", `/v1/programs/${programId}/members/${member}`, { token: owner.token });
    expect(read.status).toBe(200);
    expect(read.body.balance.available).toBe(298);
  });

  it("the epoch moves on with every insert, update and delete of programs, agreements and velocity rules, and with nothing else", async () => {
    const { programId, enrol, move } = await setupProgram(gw);
    const member = await enrol();
    const before = epoch();
    expect((await move("earn", member, 10)).status).toBe(201);
    expect(epoch()).toBe(before);
    const statements = [
      "update programs set name = name where id = ?",
      "update agreements set can_burn = can_burn where program_id = ?",
      "insert into program_velocity_rules (program_id, updated_at) values (?, 0)",
      "update program_velocity_rules set updated_at = 1 where program_id = ?",
      "delete from program_velocity_rules where program_id = ?",
    ];
    let last = before;
    for (const statement of statements) {
      other.prepare(statement).run(programId);
      // Never a value seen before: at least one more, and at least the time of the change.
      expect(epoch()).toBeGreaterThan(last);
      expect(epoch()).toBeGreaterThanOrEqual(Date.now() - 60_000);
      last = epoch();
    }
  });
});
