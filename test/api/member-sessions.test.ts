import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { canonicalTimezone, memberSessionTimezone } from "../../gateway/src/domain/member-sessions";
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

describe("the hosted page's time zone", () => {
  it("keeps a valid IANA time zone in the page's token, refuses an invalid one, and falls back to UTC", async () => {
    const { owner, programId, enrol } = await setupProgram(gw);
    const member = await enrol();
    const open = (timezone?: string) =>
      gw.call("POST", "/v1/member-sessions", {
        token: owner.token,
        body: { program_id: programId, external_id: member, ...(timezone !== undefined && { timezone }) },
      });
    const zoned = await open("America/Sao_Paulo");
    expect(zoned.status).toBe(201);
    const token = new URL(zoned.body.url).pathname.split("/").pop() ?? "";
    expect(memberSessionTimezone(token)).toBe("America/Sao_Paulo");
    expect((await gw.app.request(new URL(zoned.body.url).pathname)).status).toBe(200);
    // The zone is bound by the token's hash: another zone in its place makes the token unknown.
    const [secret] = token.split(".");
    expect((await gw.app.request(`/portal/member/${secret}.${btoa("Asia/Tokyo")}`)).status).toBe(404);
    expect(memberSessionTimezone(new URL((await open()).body.url).pathname)).toBe("UTC");
    for (const bad of ["Mars/Olympus", "+03:00", "", "x".repeat(80)]) {
      const refused = await open(bad);
      expect(refused.status, bad).toBe(400);
      expect(refused.body.errors[0].path).toBe("timezone");
    }
  });

  it("knows IANA names in their canonical spelling, and nothing else", () => {
    expect(canonicalTimezone("Europe/Moscow")).toBe("Europe/Moscow");
    expect(canonicalTimezone("UTC")).toBe("UTC");
    expect(canonicalTimezone("America/Argentina/Buenos_Aires")).toMatch(/Buenos_Aires$/); // ICU may name its alias
    expect(canonicalTimezone("Europe/Nowhere")).toBeUndefined();
    expect(canonicalTimezone("../etc/passwd")).toBeUndefined();
  });
});
