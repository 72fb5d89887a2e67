import { describe, expect, it } from "vitest";
import { addAgreement, onboardPartner, setupConversion, setupProgram, unique } from "./fixtures";
import { connect, type Gateway } from "./gateway";
import { expectBody, expectProblem } from "./harness";
import * as op from "./routes";
import type { Credential, Target } from "./target";

/**
 * Issue 16, items 1-3: the `programs:manage` scope (the owner configures its program, the operator every one),
 * program settings (`PATCH /v1/programs/{id}`, what `closed` means), and the member profile (attributes, birth
 * date, referrer; `PATCH` a member with merged attributes and its `member.updated` event; list and search).
 */
export function programProfileScenarios(target: Target) {
  const gw = connect(target);
  const patchProgram = (programId: string, body: unknown, as: Credential = gw.operator) =>
    gw.call("PATCH", `/v1/programs/${programId}`, { as, body });
  const getProgram = async (programId: string, as: Credential = gw.operator) =>
    expectBody(await gw.call("GET", `/v1/programs/${programId}`, { as }), op.getProgram, 200);

  describe("the programs:manage scope", () => {
    it("is among a new partner's scopes, and implied for a credential holding every scope that came before it", async () => {
      const partner = await onboardPartner(gw);
      const token = expectBody(
        await gw.call("POST", "/oauth/token", {
          form: { grant_type: "client_credentials", client_id: partner.clientId, client_secret: partner.secret },
        }),
        op.getToken,
        200,
      );
      expect(token.scope.split(" ")).toContain("programs:manage");

      // A credential as one made before issue 16 (every older scope, stored without programs:manage) holds it...
      const older = ["members:write", "members:read", "points:earn", "points:burn"];
      const before = [...older, "conversions:write", "webhooks:manage", "settlements:read"];
      const made = async (scopes: string[]) => {
        const created = expectBody(
          await gw.call("POST", `/v1/partners/${partner.id}/credentials`, { as: gw.operator, body: { scopes } }),
          op.createPartnerCredential,
          201,
        );
        return { clientId: created.client_id, secret: created.client_secret ?? "", scopes: created.scopes };
      };
      const full = await made(before);
      expect(full.scopes).toEqual([...before, "programs:manage"]);
      const { programId } = await setupProgram(gw, { partner_id: partner.id });
      expectBody(await patchProgram(programId, { name: "Renamed" }, full), op.updateProgram, 200);
      // ...one made with fewer scopes does not.
      const narrow = await made(older);
      expect(narrow.scopes).toEqual(older);
      const refused = expectProblem(await patchProgram(programId, { name: "Again" }, narrow), 403, "forbidden");
      expect(refused.detail).toContain("programs:manage");
    });
  });

  describe("PATCH /v1/programs/{id}", () => {
    it("lets the owner change its program's name, time zone, expiry and status, and answers the whole program", async () => {
      const { owner, programId } = await setupProgram(gw, { points_expire_after_days: 365 });
      const before = await getProgram(programId);
      expect(before).toMatchObject({ timezone: "UTC", status: "active", points_expire_after_days: 365 });

      const answer = await patchProgram(
        programId,
        { name: "Harbor Rewards", timezone: "America/Sao_Paulo", points_expire_after_days: null },
        owner,
      );
      const updated = expectBody(answer, op.updateProgram, 200);
      expect(updated).toEqual({
        ...before,
        name: "Harbor Rewards",
        timezone: "America/Sao_Paulo",
        points_expire_after_days: null,
      });
      expect(await getProgram(programId, owner)).toEqual(updated);
      // A time zone is stored as its canonical name; an empty body changes nothing.
      expect(
        expectBody(await patchProgram(programId, { timezone: "utc" }, owner), op.updateProgram, 200).timezone,
      ).toBe("UTC");
      expect(expectBody(await patchProgram(programId, {}, owner), op.updateProgram, 200).timezone).toBe("UTC");
    });

    it("lets the operator change any program, refuses an agreement partner (403) and answers anyone else 404", async () => {
      const { programId } = await setupProgram(gw);
      const other = await setupProgram(gw);
      const withAgreement = await onboardPartner(gw);
      await addAgreement(gw, programId, withAgreement.id);
      const stranger = await onboardPartner(gw);

      expect(expectBody(await patchProgram(programId, { status: "closed" }), op.updateProgram, 200).status).toBe(
        "closed",
      );
      const refused = expectProblem(await patchProgram(programId, { name: "Mine" }, withAgreement), 403, "forbidden");
      expect(refused.detail).toContain("owns");
      expectProblem(await patchProgram(programId, { name: "Mine" }, stranger), 404, "not_found");
      // Another program's owner is a stranger here too.
      expectProblem(await patchProgram(programId, { name: "Mine" }, other.owner), 404, "not_found");
      expectProblem(await patchProgram("prg_unknown", { name: "Mine" }), 404, "not_found");
      expect((await getProgram(programId)).name).not.toBe("Mine");
    });

    it("refuses a bad time zone, expiry, status, name or field with 400 naming it, and changes nothing", async () => {
      const { owner, programId } = await setupProgram(gw);
      const before = await getProgram(programId);
      const cases: [unknown, string][] = [
        [{ timezone: "Mars/Olympus" }, "timezone"],
        [{ timezone: "+05:00" }, "timezone"],
        [{ timezone: "x".repeat(10_000) }, "timezone"],
        [{ points_expire_after_days: 0 }, "points_expire_after_days"],
        [{ points_expire_after_days: 1.5 }, "points_expire_after_days"],
        [{ status: "paused" }, "status"],
        [{ name: "   " }, "name"],
        [{ name: "Fine", partner_id: "ptn_other" }, ""],
      ];
      for (const [body, path] of cases) {
        const problem = expectProblem(await patchProgram(programId, body, owner), 400, "validation_failed");
        if (path)
          expect(
            problem.errors?.map((e) => e.path),
            JSON.stringify(body),
          ).toContain(path);
      }
      expect(await getProgram(programId)).toEqual(before);
    });

    it("closes a program to new members and points, while members may still burn and convert out; reopening undoes it", async () => {
      const program = await setupProgram(gw);
      const { externalId } = await program.enrol();
      await program.earn(externalId, 500);
      expectBody(await patchProgram(program.programId, { status: "closed" }, program.owner), op.updateProgram, 200);

      const enrol = await gw.call("POST", `/v1/programs/${program.programId}/members`, {
        as: program.owner,
        body: { external_id: unique("M") },
      });
      expect(expectProblem(enrol, 409, "invalid_state").detail).toContain("closed");
      expectProblem(await program.move("earn", externalId, 10), 409, "invalid_state");
      const card = await gw.call("POST", `/v1/programs/${program.programId}/members/${externalId}/cards`, {
        as: program.owner,
        body: { number: "7700 0000 0001" },
      });
      expectProblem(card, 409, "invalid_state");
      await program.burn(externalId, 200);
      expect((await program.balance(externalId)).available).toBe(300);

      expectBody(await patchProgram(program.programId, { status: "active" }), op.updateProgram, 200);
      await program.earn(externalId, 10);
      expect((await program.balance(externalId)).available).toBe(310);
    });

    it("refuses conversions into a closed program, and lets its members convert out", async () => {
      const conversion = await setupConversion(gw);
      await conversion.fund(5_000);
      expectBody(await patchProgram(conversion.airline.programId, { status: "closed" }), op.updateProgram, 200);
      expectProblem(await conversion.quote(1_000), 409, "invalid_state");

      expectBody(await patchProgram(conversion.airline.programId, { status: "active" }), op.updateProgram, 200);
      expectBody(await patchProgram(conversion.hotel.programId, { status: "closed" }), op.updateProgram, 200);
      const quote = await conversion.quoted(1_000);
      expectBody(await conversion.execute(quote.id), op.executeConversion, 201);
    });
  });

  describe("the member profile", () => {
    const enrol = (gwp: Gateway, programId: string, as: Credential, body: Record<string, unknown>) =>
      gwp.call("POST", `/v1/programs/${programId}/members`, { as, body });

    it("enrols with attributes, a birth date and a referrer, and shows them with tier and rfm null", async () => {
      const program = await setupProgram(gw);
      const referrer = await program.enrol();
      const externalId = unique("M");
      const answer = await enrol(gw, program.programId, program.owner, {
        external_id: externalId,
        name: "Ana Sousa",
        attributes: { favourite_store: "lisbon-chiado", newsletter: true, household_size: 3, score: -1.25 },
        birth_date: "1988-02-29",
        referred_by_external_id: referrer.externalId,
      });
      const created = expectBody(answer, op.enrolMember, 201);
      const now = target.clock.now().toISOString();
      expect(created).toMatchObject({
        external_id: externalId,
        attributes: { favourite_store: "lisbon-chiado", newsletter: true, household_size: 3, score: -1.25 },
        birth_date: "1988-02-29",
        referred_by: referrer.externalId,
        tier: null,
        rfm: null,
        created_at: now,
        updated_at: now,
      });
      expect(expectBody(await program.member(externalId), op.getMember, 200)).toMatchObject({
        attributes: created.attributes,
        birth_date: "1988-02-29",
        referred_by: referrer.externalId,
        tier: null,
        rfm: null,
      });
      expect(referrer.member).toMatchObject({ attributes: {}, birth_date: null, referred_by: null });
    });

    it("refuses hostile profiles with 400 naming the field, and enrols nobody", async () => {
      const program = await setupProgram(gw);
      const elsewhere = await setupProgram(gw);
      const strangerInOtherProgram = await elsewhere.enrol();
      const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, i]));
      const cases: [Record<string, unknown>, string][] = [
        [{ attributes: many }, "attributes"],
        [{ attributes: { address: { city: "Lisbon" } } }, "attributes.address"],
        [{ attributes: { tags: ["a", "b"] } }, "attributes.tags"],
        [{ attributes: { note: "x".repeat(501) } }, "attributes.note"],
        [{ attributes: { "bad key": 1 } }, "attributes.bad key"],
        [{ attributes: { ["k".repeat(65)]: 1 } }, `attributes.${"k".repeat(65)}`],
        [{ attributes: ["a"] }, "attributes"],
        [{ attributes: "{}" }, "attributes"],
        [{ birth_date: "2999-01-01" }, "birth_date"],
        [{ birth_date: "2023-02-29" }, "birth_date"],
        [{ birth_date: "1988-4-23" }, "birth_date"],
        [{ referred_by_external_id: "nobody-here" }, "referred_by_external_id"],
        [{ referred_by_external_id: strangerInOtherProgram.externalId }, "referred_by_external_id"],
        [{ name: "y".repeat(10_000) }, "name"],
      ];
      for (const [fields, path] of cases) {
        const externalId = unique("H");
        const answer = await enrol(gw, program.programId, program.owner, { external_id: externalId, ...fields });
        const problem = expectProblem(answer, 400, "validation_failed", JSON.stringify(fields).slice(0, 80));
        expect(
          problem.errors?.map((e) => e.path),
          path,
        ).toContain(path);
        expectProblem(await program.member(externalId), 404, "not_found");
      }
      // A body past the gateway's limit is refused before it is read.
      const huge = await enrol(gw, program.programId, program.owner, {
        external_id: unique("H"),
        attributes: { note: "z".repeat(100_000) },
      });
      expectProblem(huge, 413, "payload_too_large");
      // A raw Infinity cannot be sent as JSON, but 1e999 parses to it.
      const infinite = await gw.call("POST", `/v1/programs/${program.programId}/members`, {
        as: program.owner,
        body: `{"external_id":"${unique("H")}","attributes":{"n":1e999}}`,
      });
      expectProblem(infinite, 400, "validation_failed");
      const [row] = await target.rows<{ n: number }>(
        "select count(*) as n from members where program_id = ?",
        program.programId,
      );
      expect(row?.n).toBe(0);
    });

    it("dates birthdays in the program's time zone: today there is accepted, tomorrow there is not", async () => {
      const program = await setupProgram(gw);
      // On to 23:30 UTC (the clock only moves forward), when in Tokyo it is already the next day.
      const now = target.clock.now();
      const lateEvening = new Date(now);
      lateEvening.setUTCHours(23, 30, 0, 0);
      if (lateEvening <= now) lateEvening.setUTCDate(lateEvening.getUTCDate() + 1);
      target.clock.advance(lateEvening.getTime() - now.getTime());
      const day = (offset: number) => new Date(lateEvening.getTime() + offset * 86_400_000).toISOString().slice(0, 10);
      expectBody(await patchProgram(program.programId, { timezone: "Asia/Tokyo" }), op.updateProgram, 200);
      const born = (birth_date: string) =>
        enrol(gw, program.programId, program.owner, { external_id: unique("B"), birth_date });
      expectBody(await born(day(1)), op.enrolMember, 201);
      expectProblem(await born(day(2)), 400, "validation_failed");
      expectBody(await patchProgram(program.programId, { timezone: "UTC" }), op.updateProgram, 200);
      expectProblem(await born(day(1)), 400, "validation_failed");
    });
  });

  describe("PATCH /v1/programs/{program_id}/members/{external_id}", () => {
    const patchMember = (programId: string, externalId: string, body: unknown, as: Credential) =>
      gw.call("PATCH", `/v1/programs/${programId}/members/${externalId}`, { as, body });
    const memberEvents = async (as: Credential, externalId: string) => {
      const list = expectBody(await gw.call("GET", "/v1/events?type=member.updated", { as }), op.listEvents, 200);
      // `data` is typed by the event's schema in the document, not in TypeScript: read as member.updated documents it.
      type MemberUpdated = { member: { external_id: string }; changed: string[]; changed_attributes: string[] };
      return list.data.flatMap((event) => {
        const data = event.data as MemberUpdated;
        return event.type === "member.updated" && data.member.external_id === externalId ? [data] : [];
      });
    };

    it("replaces the fields given, merges attributes (null removes a key) and sends member.updated with what changed", async () => {
      const program = await setupProgram(gw);
      const externalId = unique("M");
      await gw.call("POST", `/v1/programs/${program.programId}/members`, {
        as: program.owner,
        body: { external_id: externalId, email: "ana@example.com", attributes: { a: 1, b: "two", c: true } },
      });
      target.clock.advance(60_000);
      const answer = await patchMember(
        program.programId,
        externalId,
        { name: "Ana", email: "ana@example.com", attributes: { b: null, c: false, d: "new", absent: null } },
        program.owner,
      );
      const updated = expectBody(answer, op.updateMember, 200);
      expect(updated).toMatchObject({
        name: "Ana",
        email: "ana@example.com",
        attributes: { a: 1, c: false, d: "new" },
        updated_at: target.clock.now().toISOString(),
      });
      expect(Object.keys(updated.attributes).sort()).toEqual(["a", "c", "d"]);
      expect(expectBody(await program.member(externalId), op.getMember, 200)).toEqual(updated);

      const events = await memberEvents(program.owner, externalId);
      expect(events).toHaveLength(1);
      expect(events[0]).toEqual({
        member: updated,
        changed: ["name", "attributes"],
        changed_attributes: ["b", "c", "d"],
      });

      // Clearing a field with null, and an update that changes nothing sends nothing.
      const cleared = expectBody(
        await patchMember(program.programId, externalId, { email: null }, program.owner),
        op.updateMember,
        200,
      );
      expect(cleared.email).toBeNull();
      expectBody(
        await patchMember(
          program.programId,
          externalId,
          { name: "Ana", attributes: { a: 1, zzz: null } },
          program.owner,
        ),
        op.updateMember,
        200,
      );
      expect((await memberEvents(program.owner, externalId)).map((e) => e.changed)).toEqual([
        ["email"],
        ["name", "attributes"],
      ]);
    });

    it("applies the 50-key limit to the merged attributes", async () => {
      const program = await setupProgram(gw);
      const externalId = unique("M");
      const fifty = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, i]));
      await gw.call("POST", `/v1/programs/${program.programId}/members`, {
        as: program.owner,
        body: { external_id: externalId, attributes: fifty },
      });
      const tooMany = expectProblem(
        await patchMember(program.programId, externalId, { attributes: { extra: 1 } }, program.owner),
        400,
        "validation_failed",
      );
      expect(tooMany.errors?.[0]).toMatchObject({ path: "attributes" });
      const swapped = expectBody(
        await patchMember(program.programId, externalId, { attributes: { k0: null, extra: 1 } }, program.owner),
        op.updateMember,
        200,
      );
      expect(Object.keys(swapped.attributes)).toHaveLength(50);
      expect(swapped.attributes).toMatchObject({ extra: 1 });
      expect(swapped.attributes).not.toHaveProperty("k0");
    });

    it("keeps both of two concurrent updates of different keys, and never lets them pass 50 keys together", async () => {
      const program = await setupProgram(gw);
      const externalId = unique("M");
      const some = Object.fromEntries(Array.from({ length: 48 }, (_, i) => [`k${i}`, i]));
      await gw.call("POST", `/v1/programs/${program.programId}/members`, {
        as: program.owner,
        body: { external_id: externalId, attributes: some },
      });
      const add = (attributes: Record<string, number>) =>
        patchMember(program.programId, externalId, { attributes }, program.owner);
      // 48 + 1 + 1: both fit, and the merge in the write keeps both.
      const both = await Promise.all([add({ a: 1 }), add({ b: 2 })]);
      expect(both.map((answer) => answer.status)).toEqual([200, 200]);
      const after = expectBody(await program.member(externalId), op.getMember, 200);
      expect(Object.keys(after.attributes)).toHaveLength(50);
      expect(after.attributes).toMatchObject({ a: 1, b: 2 });
      // 49 + 1 + 1 at once: each fits what it read, only one fits what the other wrote.
      await patchMember(program.programId, externalId, { attributes: { a: null } }, program.owner);
      const racing = await Promise.all([add({ c: 3 }), add({ d: 4 })]);
      expect(racing.map((answer) => answer.status).sort()).toEqual([200, 400]);
      const refused = racing.find((answer) => answer.status === 400);
      if (refused) expect(expectProblem(refused, 400, "validation_failed").errors?.[0]?.path).toBe("attributes");
      const final = expectBody(await program.member(externalId), op.getMember, 200);
      expect(Object.keys(final.attributes)).toHaveLength(50);
      expect((await memberEvents(program.owner, externalId)).length).toBe(4);
    });

    it("refuses hostile updates with 400 and changes nothing, sending no event", async () => {
      const program = await setupProgram(gw);
      const { externalId } = await program.enrol();
      const before = expectBody(await program.member(externalId), op.getMember, 200);
      const cases: [unknown, string][] = [
        [{ attributes: { nested: { a: 1 } } }, "attributes.nested"],
        [{ attributes: { list: [1] } }, "attributes.list"],
        [{ attributes: { long: "x".repeat(50_000) } }, "attributes.long"],
        [{ birth_date: "2999-12-31" }, "birth_date"],
        [{ locale: "english" }, "locale"],
        [{ external_id: "renamed" }, ""],
      ];
      for (const [body, path] of cases) {
        const problem = expectProblem(
          await patchMember(program.programId, externalId, body, program.owner),
          400,
          "validation_failed",
        );
        if (path) expect(problem.errors?.map((e) => e.path)).toContain(path);
      }
      expect(expectBody(await program.member(externalId), op.getMember, 200)).toEqual(before);
      expect(await memberEvents(program.owner, externalId)).toEqual([]);
    });

    it("lets a partner with an agreement update, tells each partner concerned, and answers anyone else 404", async () => {
      const program = await setupProgram(gw);
      const { externalId } = await program.enrol();
      const grocer = await onboardPartner(gw);
      await addAgreement(gw, program.programId, grocer.id);
      const stranger = await onboardPartner(gw);

      expectBody(
        await patchMember(program.programId, externalId, { attributes: { grocer_segment: "family" } }, grocer),
        op.updateMember,
        200,
      );
      expect(await memberEvents(grocer, externalId)).toHaveLength(1);
      expect(await memberEvents(program.owner, externalId)).toHaveLength(1);
      expectProblem(await patchMember(program.programId, externalId, { name: "X" }, stranger), 404, "not_found");
      expect(await memberEvents(stranger, externalId)).toEqual([]);
      expectProblem(await patchMember(program.programId, "nobody", { name: "X" }, program.owner), 404, "not_found");
    });
  });

  describe("GET /v1/programs/{program_id}/members", () => {
    it("lists members newest first in pages, and searches external ids by prefix and emails and names in any case", async () => {
      const program = await setupProgram(gw);
      const tag = unique("s").replace(/-/g, "");
      const people = [
        { external_id: `${tag}-001`, name: "Ana Sousa", email: `ana.${tag}@example.com` },
        { external_id: `${tag}-002`, name: "Иван Петров", email: `ivan.${tag}@example.com` },
        { external_id: `${tag}-003`, name: "100% Jones", email: `jones.${tag}@Example.COM` },
        { external_id: `X-${tag}`, name: "Bea_Costa", email: null },
        { external_id: `${tag}-005`, name: "Beatriz", email: null },
      ];
      for (const person of people) {
        const body = Object.fromEntries(Object.entries(person).filter(([, v]) => v !== null));
        expectBody(
          await gw.call("POST", `/v1/programs/${program.programId}/members`, { as: program.owner, body }),
          op.enrolMember,
          201,
        );
      }
      const list = async (query: string, as: Credential = program.owner) =>
        expectBody(
          await gw.call("GET", `/v1/programs/${program.programId}/members?${query}`, { as }),
          op.listMembers,
          200,
        );
      const ids = async (query: string) => (await list(query)).data.map((m) => m.external_id);

      const first = await list("limit=2");
      expect(first.data.map((m) => m.external_id)).toEqual([`${tag}-005`, `X-${tag}`]);
      expect(first.has_more).toBe(true);
      const second = await list(`limit=2&starting_after=${first.data[1]?.id}`);
      expect(second.data.map((m) => m.external_id)).toEqual([`${tag}-003`, `${tag}-002`]);
      const third = await list(`limit=2&starting_after=${second.data[1]?.id}`);
      expect(third).toMatchObject({ has_more: false });
      expect(third.data.map((m) => m.external_id)).toEqual([`${tag}-001`]);
      expect(first.data[0]).toMatchObject({ attributes: {}, tier: null, rfm: null, referred_by: null });

      expect(await ids(`q=${tag}-00`)).toEqual([`${tag}-005`, `${tag}-003`, `${tag}-002`, `${tag}-001`]);
      // The external id matches from its start only; emails and names anywhere, in any case.
      expect(await ids(`q=${encodeURIComponent(tag.toUpperCase())}`)).toContain(`${tag}-001`);
      expect(await ids(`q=JONES.${tag}@example.com`)).toEqual([`${tag}-003`]);
      expect(await ids(`q=${encodeURIComponent("иван")}`)).toEqual([`${tag}-002`]);
      expect(await ids(`q=${encodeURIComponent("ПЕТРОВ")}`)).toEqual([`${tag}-002`]);
      // Wildcards are literal: % and _ match only themselves.
      expect(await ids(`q=${encodeURIComponent("100%")}`)).toEqual([`${tag}-003`]);
      expect(await ids("q=%25")).toEqual([`${tag}-003`]);
      expect(await ids("q=Bea_")).toEqual([`X-${tag}`]);
      expect(await ids("q=nothing-matches-this")).toEqual([]);

      const unknown = expectProblem(
        await gw.call("GET", `/v1/programs/${program.programId}/members?sort=name`, { as: program.owner }),
        400,
        "validation_failed",
      );
      expect(JSON.stringify(unknown.errors)).toContain("sort");
      expectProblem(
        await gw.call("GET", `/v1/programs/${program.programId}/members?q=${"x".repeat(101)}`, { as: program.owner }),
        400,
        "validation_failed",
      );
      const stranger = await onboardPartner(gw);
      expectProblem(
        await gw.call("GET", `/v1/programs/${program.programId}/members`, { as: stranger }),
        404,
        "not_found",
      );
    });
  });
}
