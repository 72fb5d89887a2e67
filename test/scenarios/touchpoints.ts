import { describe, expect, it } from "vitest";
import { addAgreement, newKey, onboardPartner, setupProgram } from "./fixtures";
import { connect, type Gateway } from "./gateway";
import { expectBody, expectProblem } from "./harness";
import { walkPages } from "./paging";
import * as op from "./routes";
import type { Credential, Target } from "./target";

const minute = 60_000;

/** A program, a member, a grocer with an agreement, and helpers to record and list the member's touchpoints. */
async function touchpointWorld(gw: Gateway) {
  const program = await setupProgram(gw);
  const grocer = await onboardPartner(gw);
  await addAgreement(gw, program.programId, grocer.id);
  const { externalId } = await program.enrol();
  const path = `/v1/programs/${program.programId}/members/${externalId}/touchpoints`;
  const record = (body: unknown, options: { as?: Credential; key?: string } = {}) =>
    gw.call("POST", path, {
      as: options.as ?? program.owner,
      body,
      ...(options.key && { headers: { "Idempotency-Key": options.key } }),
    });
  const recorded = async (body: Record<string, unknown>, as?: Credential) =>
    expectBody(
      await record({ channel: "email", reason: "other", direction: "outbound", ...body }, { as }),
      op.createTouchpoint,
      201,
    );
  const list = (query = "", as: Credential = program.owner) => gw.call("GET", `${path}${query}`, { as });
  const listed = async (query = "") => expectBody(await list(query), op.listTouchpoints, 200);
  const count = async () =>
    (await gw.rows<{ n: number }>("select count(*) as n from touchpoints where program_id = ?", program.programId))[0]
      ?.n;
  return { ...program, grocer, externalId, path, record, recorded, list, listed, count };
}

/** The instant `ms` after the gateway's clock, as RFC 3339. */
const at = (gw: Gateway, ms: number) => new Date(gw.clock.now().getTime() + ms).toISOString();

/**
 * Touchpoints (issue 20): recording a member's contacts (known answers, every field, idempotent retries), every
 * hostile body refused at its path with nothing written, who may record and read them, and the list: newest first by
 * `occurred_at`, its filters and their refusals, and its cursor over equal moments.
 */
export function touchpointScenarios(target: Target) {
  const gw = connect(target);

  describe("recording", () => {
    it("records a contact as the partner tells it and answers it (known answer), `occurred_at` defaulting to now", async () => {
      const world = await touchpointWorld(gw);
      const now = gw.clock.now().toISOString();
      // An hour ago, written in UTC+2.
      const hourAgo = new Date(gw.clock.now().getTime() - 60 * minute);
      const inPlusTwo = new Date(hourAgo.getTime() + 120 * minute).toISOString().replace("Z", "+02:00");
      const told = {
        channel: "call_center",
        reason: "complaint",
        direction: "inbound",
        note: "Baggage arrived late; offered 500 miles.",
        rating: 2,
      };
      const full = expectBody(
        await world.record({
          ...told,
          occurred_at: inPlusTwo,
          agent: "  agent-0412  ",
        }),
        op.createTouchpoint,
        201,
      );
      expect(full).toEqual({
        id: expect.stringMatching(/^tpt_/),
        program_id: world.programId,
        member_id: expect.stringMatching(/^mem_/),
        external_id: world.externalId,
        ...told,
        agent: "agent-0412",
        recorded_by: world.owner.id,
        occurred_at: hourAgo.toISOString(),
        created_at: now,
      });
      const bare = await world.recorded({}, world.grocer);
      expect(bare).toMatchObject({
        note: null,
        rating: null,
        agent: null,
        occurred_at: now,
        recorded_by: world.grocer.id,
      });
      const [row] = await gw.rows<Record<string, unknown>>(
        "select channel, reason, direction, note, rating, agent, recorded_by, occurred_at from touchpoints where id = ?",
        full.id,
      );
      expect(row).toEqual({
        ...told,
        agent: "agent-0412",
        recorded_by: world.owner.id,
        occurred_at: hourAgo.getTime(),
      });
    });

    it("takes every channel, reason and direction, a rating of 1 and 5, a 2,000-character note, a moment 5 minutes ahead", async () => {
      const world = await touchpointWorld(gw);
      const channels = ["call_center", "email", "sms", "push", "web", "app", "store", "social", "field"];
      const reasons = [
        "question",
        "redemption",
        "invitation",
        "communication",
        "enrolment",
        "survey",
        "complaint",
        "feedback",
        "other",
      ];
      for (const [i, channel] of channels.entries()) {
        const reason = reasons[i] as string;
        const direction = i % 2 === 0 ? "inbound" : "outbound";
        expect(await world.recorded({ channel, reason, direction })).toMatchObject({ channel, reason, direction });
      }
      expect((await world.recorded({ rating: 1 })).rating).toBe(1);
      expect((await world.recorded({ rating: 5 })).rating).toBe(5);
      expect((await world.recorded({ note: "n".repeat(2000) })).note).toHaveLength(2000);
      expect((await world.recorded({ agent: "a".repeat(200) })).agent).toHaveLength(200);
      const ahead = at(gw, 5 * minute);
      expect((await world.recorded({ occurred_at: ahead })).occurred_at).toBe(ahead);
      expect(await world.count()).toBe(channels.length + 5);
    });

    it("refuses hostile bodies with 400 at their paths, and writes nothing", async () => {
      const world = await touchpointWorld(gw);
      const valid = { channel: "email", reason: "question", direction: "inbound" };
      const cases: [unknown, string][] = [
        [{ ...valid, channel: "fax" }, "channel"],
        [{ ...valid, channel: "EMAIL" }, "channel"],
        [{ ...valid, reason: "gossip" }, "reason"],
        [{ ...valid, direction: "sideways" }, "direction"],
        [{ reason: "question", direction: "inbound" }, "channel"],
        [{ channel: "email", direction: "inbound" }, "reason"],
        [{ channel: "email", reason: "question" }, "direction"],
        [{ ...valid, rating: 0 }, "rating"],
        [{ ...valid, rating: 6 }, "rating"],
        [{ ...valid, rating: 2.5 }, "rating"],
        [{ ...valid, rating: "5" }, "rating"],
        [{ ...valid, note: "n".repeat(2001) }, "note"],
        [{ ...valid, note: 42 }, "note"],
        [{ ...valid, agent: "a".repeat(201) }, "agent"],
        [{ ...valid, agent: "   " }, "agent"],
        [{ ...valid, occurred_at: "yesterday" }, "occurred_at"],
        [{ ...valid, occurred_at: "2026-13-01T00:00:00Z" }, "occurred_at"],
        [{ ...valid, occurred_at: "2026-11-30T10:00:00" }, "occurred_at"],
        [{ ...valid, occurred_at: "2026-11-30" }, "occurred_at"],
        [{ ...valid, occurred_at: 1764500000000 }, "occurred_at"],
        [{ ...valid, occurred_at: at(gw, 5 * minute + 1) }, "occurred_at"],
        [{ ...valid, occurred_at: "2999-01-01T00:00:00Z" }, "occurred_at"],
        [{ ...valid, member_id: "mem_x" }, "body"],
        [[valid], "body"],
      ];
      for (const [body, path] of cases) {
        const problem = expectProblem(await world.record(body), 400, "validation_failed", JSON.stringify(body));
        expect(
          problem.errors?.map((e) => e.path),
          JSON.stringify(body),
        ).toContain(path);
      }
      expectProblem(await world.record("{not json"), 400, "validation_failed");
      expect(await world.count()).toBe(0);
    });

    it("records once per Idempotency-Key: the same body replays the first answer, another body is 422", async () => {
      const world = await touchpointWorld(gw);
      const key = newKey();
      const body = { channel: "sms", reason: "invitation", direction: "outbound", note: "Double miles weekend" };
      const first = await world.record(body, { key });
      const created = expectBody(first, op.createTouchpoint, 201);
      gw.clock.advance(minute);
      const again = await world.record(body, { key });
      expect(again.status).toBe(201);
      expect(again.headers.get("Idempotent-Replayed")).toBe("true");
      expect(again.text).toBe(first.text);
      expectProblem(await world.record({ ...body, note: "Another" }, { key }), 422, "idempotency_key_reused");
      expect(await world.count()).toBe(1);
      expect((await world.listed()).data.map((t) => t.id)).toEqual([created.id]);
    });
  });

  describe("who may record and read", () => {
    it("lets partners with an agreement record and read; another partner's calls answer 404 and write nothing", async () => {
      const world = await touchpointWorld(gw);
      const mine = await world.recorded({ note: "by the grocer" }, world.grocer);
      expect((await world.listed()).data).toEqual([mine]);
      expect(expectBody(await world.list("", world.grocer), op.listTouchpoints, 200).data).toEqual([mine]);
      const stranger = await onboardPartner(gw);
      const valid = { channel: "email", reason: "question", direction: "inbound" };
      expectProblem(await world.record(valid, { as: stranger }), 404, "not_found");
      expectProblem(await world.list("", stranger), 404, "not_found");
      // A member number that is not enrolled, and a program that does not exist.
      const unknown = `/v1/programs/${world.programId}/members/NOBODY-1/touchpoints`;
      expectProblem(await gw.call("POST", unknown, { as: world.owner, body: valid }), 404, "not_found");
      expectProblem(await gw.call("GET", unknown, { as: world.owner }), 404, "not_found");
      expectProblem(
        await gw.call("POST", `/v1/programs/prg_nope/members/${world.externalId}/touchpoints`, {
          as: world.owner,
          body: valid,
        }),
        404,
        "not_found",
      );
      expect(await world.count()).toBe(1);
    });

    it("refuses an erased member's touchpoint with 409 naming the erasure, and still lists its others", async () => {
      const world = await touchpointWorld(gw);
      const before = await world.recorded({ note: "Wants to leave the program" });
      const erased = await gw.call("POST", `/v1/programs/${world.programId}/members/${world.externalId}/erase`, {
        as: world.owner,
      });
      expect(erased.status, erased.text).toBe(200);
      const valid = { channel: "email", reason: "other", direction: "outbound" };
      for (const as of [world.owner, world.grocer]) {
        const problem = expectProblem(await world.record(valid, { as, key: newKey() }), 409, "invalid_state");
        expect(problem.detail).toContain(`Member ${world.externalId} of program ${world.programId} was erased on`);
      }
      expect(await world.count()).toBe(1);
      expect((await world.listed()).data).toEqual([{ ...before, note: null }]);
    });

    it("needs members:write to record and members:read to list", async () => {
      const world = await touchpointWorld(gw);
      const valid = { channel: "email", reason: "question", direction: "inbound" };
      const reader = await gw.token(world.grocer, "members:read");
      const writer = await gw.token(world.grocer, "members:write");
      expectProblem(await gw.call("POST", world.path, { token: reader, body: valid }), 403, "forbidden");
      expectProblem(await gw.call("GET", world.path, { token: writer }), 403, "forbidden");
      expect(expectBody(await gw.call("POST", world.path, { token: writer, body: valid }), op.createTouchpoint, 201));
      expect(
        expectBody(await gw.call("GET", world.path, { token: reader }), op.listTouchpoints, 200).data,
      ).toHaveLength(1);
    });
  });

  describe("the list", () => {
    it("lists newest first by occurred_at, not by when they were recorded", async () => {
      const world = await touchpointWorld(gw);
      const recent = await world.recorded({ occurred_at: at(gw, -1 * minute) });
      const oldest = await world.recorded({ occurred_at: at(gw, -60 * minute) });
      const newest = await world.recorded({});
      const middle = await world.recorded({ occurred_at: at(gw, -30 * minute) });
      expect((await world.listed()).data.map((t) => t.id)).toEqual([newest.id, recent.id, middle.id, oldest.id]);
    });

    it("narrows by channel, reason, direction and the range [from, to] of occurred_at, both ends included", async () => {
      const world = await touchpointWorld(gw);
      const t0 = at(gw, -3 * minute);
      const t1 = at(gw, -2 * minute);
      const t2 = at(gw, -1 * minute);
      const a = await world.recorded({ channel: "email", reason: "question", direction: "inbound", occurred_at: t0 });
      const b = await world.recorded({ channel: "sms", reason: "question", direction: "outbound", occurred_at: t1 });
      const c = await world.recorded({ channel: "email", reason: "survey", direction: "outbound", occurred_at: t2 });
      const ids = async (query: string) => (await world.listed(query)).data.map((t) => t.id);
      expect(await ids("?channel=email")).toEqual([c.id, a.id]);
      expect(await ids("?reason=question")).toEqual([b.id, a.id]);
      expect(await ids("?direction=outbound")).toEqual([c.id, b.id]);
      expect(await ids("?channel=email&direction=outbound")).toEqual([c.id]);
      expect(await ids("?channel=push")).toEqual([]);
      // `from` and `to` are both included.
      expect(await ids(`?from=${t1}`)).toEqual([c.id, b.id]);
      expect(await ids(`?to=${t1}`)).toEqual([b.id, a.id]);
      expect(await ids(`?from=${t0}&to=${t2}`)).toEqual([c.id, b.id, a.id]);
      expect(await ids(`?from=${t1}&to=${t1}`)).toEqual([b.id]);
      // An offset names the same instant.
      const plusOne = new Date(Date.parse(t1) + 3600_000).toISOString().replace("Z", "+01:00");
      expect(await ids(`?from=${encodeURIComponent(plusOne)}`)).toEqual([c.id, b.id]);
    });

    it("refuses an invalid filter or cursor with 400 naming the parameter", async () => {
      const world = await touchpointWorld(gw);
      await world.recorded({});
      const cases: [string, string][] = [
        ["?channel=fax", "channel"],
        ["?reason=gossip", "reason"],
        ["?direction=up", "direction"],
        ["?from=yesterday", "from"],
        ["?to=2026-11-31T00:00:00Z", "to"],
        ["?from=2026-11-30T00:00:00Z&to=2026-11-29T00:00:00Z", "to"],
        ["?limit=0", "limit"],
        ["?limit=101", "limit"],
        ["?starting_after=tpt_nope", "starting_after"],
        ["?ending_before=tpt_nope", "ending_before"],
        ["?starting_after=a&ending_before=b", "ending_before"],
        ["?colour=red", "query"],
      ];
      for (const [query, path] of cases) {
        const problem = expectProblem(await world.list(query), 400, "validation_failed", query);
        expect(
          problem.errors?.map((e) => e.path),
          query,
        ).toContain(path);
      }
      // Another member's touchpoint is no cursor of this member's list.
      const other = await world.enrol();
      const theirs = expectBody(
        await gw.call("POST", `/v1/programs/${world.programId}/members/${other.externalId}/touchpoints`, {
          as: world.owner,
          body: { channel: "app", reason: "other", direction: "inbound" },
        }),
        op.createTouchpoint,
        201,
      );
      expectProblem(await world.list(`?starting_after=${theirs.id}`), 400, "validation_failed");
    });

    it("pages over equal moments without losing or repeating one, forwards and backwards", async () => {
      const world = await touchpointWorld(gw);
      const same = at(gw, -minute);
      for (let i = 0; i < 5; i++) await world.recorded({ occurred_at: same });
      await world.recorded({});
      await world.recorded({ occurred_at: at(gw, -2 * minute) });
      const all = (await world.listed("?limit=100")).data.map((t) => t.id);
      expect(all).toHaveLength(7);
      for (const limit of [1, 2, 3]) {
        const forwards = await walkPages((query) => world.listed(`?${query}`), limit);
        expect(
          forwards.map((t) => t.id),
          `limit ${limit}`,
        ).toEqual(all);
        const backwards = await walkPages((query) => world.listed(`?${query}`), limit, all.at(-1));
        expect(
          backwards.map((t) => t.id),
          `limit ${limit}`,
        ).toEqual(all.slice(0, -1));
      }
    });
  });
}
