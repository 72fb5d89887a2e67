import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runScheduledJobs } from "../../gateway/src/jobs";
import { createTestGateway, type TestGateway } from "../support/gateway";
import { setupProgram } from "../support/ledger";

let gw: TestGateway;
beforeAll(async () => {
  gw = await createTestGateway();
});
afterAll(async () => {
  await gw.close();
});

describe("POST /v1/member-sessions", () => {
  it("opens a 15-minute hosted page for a member the caller may burn for", async () => {
    const { owner, programId, enrol } = await setupProgram(gw);
    const member = await enrol();
    const opened = await gw.call("POST", "/v1/member-sessions", {
      token: owner.token,
      body: { program_id: programId, external_id: member },
    });
    expect(opened.status).toBe(201);
    expect(opened.body.url).toMatch(/^http:\/\/localhost:8787\/portal\/member\/[A-Za-z0-9_-]{40,}$/);
    expect(Date.parse(opened.body.expires_at) - gw.clock.now().getTime()).toBe(15 * 60_000);
    const page = await gw.app.request(new URL(opened.body.url).pathname);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(member);
  });

  it("answers 404 for an unknown member or a program the caller has no agreement in, and 400 for bad input", async () => {
    const { owner, programId } = await setupProgram(gw);
    const stranger = await gw.onboardPartner();
    const unknown = await gw.call("POST", "/v1/member-sessions", {
      token: owner.token,
      body: { program_id: programId, external_id: "nobody" },
    });
    expect(unknown.status).toBe(404);
    const foreign = await gw.call("POST", "/v1/member-sessions", {
      token: stranger.token,
      body: { program_id: programId, external_id: "nobody" },
    });
    expect(foreign.status).toBe(404);
    const bad = await gw.call("POST", "/v1/member-sessions", { token: owner.token, body: { program_id: programId } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe("external_id");
    const page = await gw.app.request("/portal/member/not-a-real-token");
    expect(page.status).toBe(404);
  });

  it("closes a suspended partner's hosted pages at once", async () => {
    const { owner, programId, enrol } = await setupProgram(gw);
    const opened = await gw.call("POST", "/v1/member-sessions", {
      token: owner.token,
      body: { program_id: programId, external_id: await enrol() },
    });
    const path = new URL(opened.body.url).pathname;
    expect((await gw.app.request(path)).status).toBe(200);
    await gw.call("POST", `/v1/partners/${owner.partner.id}/suspend`, { token: await gw.operatorToken() });
    expect((await gw.app.request(path)).status).toBe(404);
  });

  it("deletes expired hosted pages in the scheduled jobs", async () => {
    const { owner, programId, enrol } = await setupProgram(gw);
    await gw.call("POST", "/v1/member-sessions", {
      token: owner.token,
      body: { program_id: programId, external_id: await enrol() },
    });
    const count = async () => (await gw.deps.reader.all("select token_hash from member_sessions")).length;
    const before = await count();
    gw.clock.advance(16 * 60_000);
    const summary = await runScheduledJobs(gw.deps);
    expect(summary.sessions.deleted).toBeGreaterThanOrEqual(1);
    expect(await count()).toBeLessThan(before);
    expect(await count()).toBe(0);
  });
});
