import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memberAccess } from "../../gateway/src/domain/access";
import { linkCard } from "../../gateway/src/domain/cards";
import { burn } from "../../gateway/src/domain/ledger/burn";
import { earn } from "../../gateway/src/domain/ledger/earn";
import { updateMemberProfile } from "../../gateway/src/domain/members";
import { createTestGateway, type TestGateway } from "../support/gateway";
import { expectLedgerInvariants, setupProgram } from "../support/ledger";

let gw: TestGateway;
beforeAll(async () => {
  gw = await createTestGateway();
});
afterAll(async () => {
  await gw.close();
});

/**
 * An erase that commits between a write's read of the member and the write itself: the read saw the member not
 * erased, so only the check inside the atomic write (notErasedStatement) can refuse it. The domain is driven
 * directly so that the erase lands exactly there, which no interleaving of HTTP requests can promise.
 */
describe("an erase committed between a write's read and its write", () => {
  it("refuses the earn, burn, profile update and card link with the erasure, writing nothing", async () => {
    const { owner, programId, enrol, move } = await setupProgram(gw);
    const externalId = await enrol();
    expect((await move("earn", externalId, 500)).status).toBe(201);
    const now = gw.clock.now();
    const access = await memberAccess(gw.deps.reader, programId, externalId, owner.partner.id, now, "earn");
    const erased = await gw.call("POST", `/v1/programs/${programId}/members/${externalId}/erase`, {
      token: owner.token,
    });
    expect(erased.status).toBe(200);
    const detail = `Member ${externalId} of program ${programId} was erased on ${erased.body.erased_at}; it can no longer earn, burn or change.`;
    const count = async (table: string) =>
      (await gw.deps.reader.all<{ n: number }>(`select count(*) as n from ${table}`))[0]?.n;
    const tables = ["ledger_transactions", "events", "member_cards"];
    const before = await Promise.all(tables.map(count));
    const partnerId = owner.partner.id;
    const writes: [string, () => Promise<unknown>][] = [
      ["earn", () => earn(gw.deps, { access, partnerId, points: 10, reference: "late" })],
      ["burn", () => burn(gw.deps, { access, partnerId, points: 10, reference: "late" })],
      ["update", () => updateMemberProfile(gw.deps, access, partnerId, { name: "Back again" }, (m) => m)],
      ["card", () => linkCard(gw.deps, access, { number: "7200000001", replace: false })],
    ];
    for (const [what, write] of writes)
      await expect(write(), what).rejects.toMatchObject({ code: "invalid_state", detail });
    expect(await Promise.all(tables.map(count))).toEqual(before);
    const [member] = await gw.deps.reader.all<{ name: string | null }>(
      "select name from members where external_id = ?",
      [externalId],
    );
    expect(member?.name).toBeNull();
    await expectLedgerInvariants(gw);
  });
});
