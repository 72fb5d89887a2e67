import { afterAll, describe, expect, it } from "vitest";
import { addAgreement, newKey, onboardPartner, rowCounts, setupProgram } from "./fixtures";
import { connect } from "./gateway";
import { expectBody, expectProblem, tally } from "./harness";
import { expectLedgerInvariants } from "./invariants";
import { type PrivacyWorld, personalTexts, privacyWorld } from "./privacy-fixtures";
import * as op from "./routes";
import type { Answer, Target } from "./target";

/**
 * A member's personal data exported and erased (issue 20): the export against the records in the database, the
 * erase's one write (personal data blanked everywhere, the ledger untouched, `member.erased` once), every write route
 * refusing an erased member while reads go on, who may export and erase, and an erase racing earns. Checked through
 * the API and in the database the gateway wrote (libSQL on Node, D1 in workerd).
 */
export function privacyScenarios(target: Target) {
  const gw = connect(target);
  const erase = (world: Pick<PrivacyWorld, "memberPath" | "owner">, key?: string) =>
    gw.call("POST", `${world.memberPath}/erase`, {
      as: world.owner,
      ...(key && { headers: { "Idempotency-Key": key } }),
    });
  const exported = async (world: PrivacyWorld) => {
    const answer = await gw.call("GET", `${world.memberPath}/export`, { as: world.owner });
    return { answer, body: expectBody(answer, op.exportMember, 200) };
  };
  /** What the ledger holds of a program: its journal rows and its accounts' balances. */
  const ledger = async (programId: string) => ({
    transactions: await gw.rows("select * from ledger_transactions where program_id = ? order by id", programId),
    entries: await gw.rows("select * from ledger_entries where program_id = ? order by id", programId),
    accounts: await gw.rows("select id, balance from accounts where program_id = ? order by id", programId),
  });
  const ids = (rows: { id: string }[]) => rows.map((row) => row.id).sort();

  afterAll(async () => {
    await expectLedgerInvariants(gw.rows);
  });

  describe("export", () => {
    it("answers every record of the member as the database holds it, as an attachment", async () => {
      const world = await privacyWorld(gw);
      const { answer, body } = await exported(world);
      const { personal } = world;
      expect(answer.headers.get("Content-Disposition")).toBe(`attachment; filename="member-${world.subject}.json"`);
      const member = expectBody(await gw.call("GET", world.memberPath, { as: world.owner }), op.getMember, 200);
      expect(body).toMatchObject({ object: "member_export", program_id: world.programId, external_id: world.subject });
      expect(body.member).toEqual(member);
      expect(body.member).toMatchObject({
        email: personal.email,
        name: personal.newName,
        birth_date: personal.birth_date,
        locale: personal.locale,
        attributes: personal.attributes,
        tier: { key: "silver" },
        erased_at: null,
      });
      expect(body.member.cards).toHaveLength(1);

      const of = (table: string, where = "member_id = ?", ...args: unknown[]) =>
        gw.rows<{ id: string }>(`select id from ${table} where ${where}`, ...(args.length ? args : [world.subjectId]));
      expect(ids(body.transactions)).toEqual(ids(await of("ledger_transactions")));
      expect(body.transactions.map((t) => t.type)).toEqual(expect.arrayContaining(["earn", "burn", "transfer_out"]));
      expect(ids(body.redemptions)).toEqual([world.order.id]);
      expect(body.redemptions[0]?.delivery?.address_lines).toEqual([personal.address]);
      expect(ids(body.transfers.sent)).toEqual([world.sent.id]);
      expect(ids(body.transfers.received)).toEqual([world.received.id]);
      expect(ids(body.conversions.out)).toEqual([world.out.id]);
      expect(ids(body.conversions.in)).toEqual([world.into.id]);
      expect(ids(body.tier_changes)).toEqual(ids(await of("member_tier_changes")));
      expect(body.tier_changes.map((change) => change.to_key)).toContain("silver");
      expect(ids(body.segments)).toEqual([world.list.id]);
      expect(body.touchpoints).toEqual([world.touchpoint]);
      expect(body.member_sessions).toHaveLength(1);
      expect(ids(body.activities)).toEqual(ids(await of("activities")));
      expect(body.promotions).toEqual([]);
      expect(body.referrals).toEqual([]);
      expect(ids(body.fraud_decisions)).toEqual(ids(await of("fraud_events")));
      // The owner's events about the member: its enrolment and updates, movements, order, transfers, conversions.
      const types = new Set(body.events.map((event) => event.type));
      for (const type of [
        "member.enrolled",
        "member.updated",
        "member.tier_changed",
        "points.earned",
        "points.burned",
        "redemption.created",
        "points.transferred",
        "conversion.completed",
      ])
        expect(types, type).toContain(type);
      const owned = await gw.rows<{ id: string }>("select id from events where partner_id = ?", world.owner.id);
      expect(owned.map((row) => row.id)).toEqual(expect.arrayContaining(ids(body.events)));
      // The friend's own earn is not about the subject.
      expect(body.events.length).toBeLessThan(owned.length);
    });

    it("is for the program's owner and the operator: a partner with an agreement gets 403, any other 404", async () => {
      const world = await privacyWorld(gw);
      expectBody(await gw.call("GET", `${world.memberPath}/export`, { as: gw.operator }), op.exportMember, 200);
      for (const verb of ["GET export", "POST erase"] as const) {
        const [method, path] = verb.split(" ") as [string, string];
        expectProblem(await gw.call(method, `${world.memberPath}/${path}`, { as: world.partner }), 403, "forbidden");
        const stranger = await onboardPartner(gw);
        const answer = await gw.call(method, `${world.memberPath}/${path}`, { as: stranger });
        expectProblem(answer, 404, "not_found");
        expect(answer.text).not.toContain(world.subjectId);
      }
      const unknown = await gw.call("GET", `/v1/programs/${world.programId}/members/nobody-here/export`, {
        as: world.owner,
      });
      expectProblem(unknown, 404, "not_found");
      // Nobody erased it.
      expect(expectBody(await gw.call("GET", world.memberPath, { as: world.owner }), op.getMember, 200).email).toBe(
        world.personal.email,
      );
    });
  });

  describe("erase", () => {
    it("blanks the personal data everywhere in one write, keeps the ledger, and tells the owner and partners once", async () => {
      const world = await privacyWorld(gw);
      const before = await ledger(world.programId);
      const exportBefore = (await exported(world)).body;
      const key = newKey();
      const erased = expectBody(await erase(world, key), op.eraseMember, 200);
      expect(erased).toEqual({
        ...exportBefore.member,
        email: null,
        name: null,
        birth_date: null,
        locale: null,
        attributes: {},
        cards: [],
        updated_at: erased.erased_at,
        erased_at: gw.clock.now().toISOString(),
      });
      expect(expectBody(await gw.call("GET", world.memberPath, { as: world.owner }), op.getMember, 200)).toEqual(
        erased,
      );
      expect(await ledger(world.programId), "the ledger is untouched").toEqual(before);

      // Nothing personal is left in any row the gateway keeps about it.
      const stored = [
        ["members", "select * from members where id = ?", world.subjectId],
        ["touchpoints", "select * from touchpoints where member_id = ?", world.subjectId],
        ["redemptions", "select * from redemptions where member_id = ?", world.subjectId],
        ["events", "select payload from events"],
        ["idempotency_keys", "select response_body from idempotency_keys"],
        ["webhook_deliveries", "select * from webhook_deliveries"],
      ] as const;
      for (const [table, query, ...args] of stored) {
        const text = JSON.stringify(await gw.rows(query, ...args));
        for (const secret of personalTexts(world.personal))
          expect(text, `${table} holds ${secret}`).not.toContain(secret);
      }
      expect(await gw.rows("select * from member_cards where member_id = ?", world.subjectId)).toEqual([]);
      expect(
        await gw.rows(
          "select * from member_sessions where program_id = ? and external_id = ?",
          world.programId,
          world.subject,
        ),
      ).toEqual([]);
      const [touchpoint] = await gw.rows<{ note: string | null; rating: number }>(
        "select note, rating from touchpoints where member_id = ?",
        world.subjectId,
      );
      expect(touchpoint).toEqual({ note: null, rating: 4 });

      // member.erased once, to the owner and the partner with an agreement (and the airline, which has none: not).
      const erasedEvents = async () =>
        gw.rows<{ partner_id: string; payload: string }>(
          "select partner_id, payload from events where type = 'member.erased' and payload like ?",
          `%"${world.subject}"%`,
        );
      const events = await erasedEvents();
      expect(events.map((event) => event.partner_id).sort()).toEqual([world.owner.id, world.partner.id].sort());
      for (const event of events)
        expect(JSON.parse(event.payload).data).toEqual({
          program_id: world.programId,
          external_id: world.subject,
          erased_at: erased.erased_at,
        });
      const listed = expectBody(
        await gw.call("GET", "/v1/events?type=member.erased", { as: world.partner }),
        op.listEvents,
        200,
      );
      expect(listed.data.map((event) => event.type)).toEqual(["member.erased"]);

      // Again, later: the same member, no second event; the first key replays the first answer.
      gw.clock.advance(60_000);
      expect(expectBody(await erase(world), op.eraseMember, 200)).toEqual(erased);
      const replayed = await erase(world, key);
      expect(replayed.headers.get("Idempotent-Replayed")).toBe("true");
      expect(replayed.body).toEqual(erased);
      expect(await erasedEvents()).toHaveLength(2);

      // The export shows what the erase left.
      const after = (await exported(world)).body;
      expect(after.member).toEqual(erased);
      expect(after.touchpoints.map((t) => t.note)).toEqual([null]);
      expect(after.redemptions.map((r) => r.delivery)).toEqual([null]);
      expect(after.member_sessions).toEqual([]);
      expect(ids(after.transactions)).toEqual(ids(exportBefore.transactions));
      expect(after.events.map((event) => event.type)).toContain("member.erased");
    });

    it("refuses every write for an erased member with 409 invalid_state, writes nothing, and still reads", async () => {
      const world = await privacyWorld(gw);
      const { programId, subject, friend, hotel, owner, memberPath } = world;
      const earn = await hotel.earn(subject, 300);
      // A quote made before the erase cannot be executed after it.
      const quote = await world.quoted(1_000);
      const erased = expectBody(await erase(world), op.eraseMember, 200);
      const erasedAt = erased.erased_at;
      const tables = [
        "ledger_transactions",
        "ledger_entries",
        "events",
        "idempotency_keys",
        "redemptions",
        "transfers",
        "quotes",
        "conversions",
        "member_cards",
        "member_sessions",
        "touchpoints",
        "activities",
      ];
      const counts = () => rowCounts(gw, tables);
      const before = await counts();
      const keyed = { "Idempotency-Key": newKey() };
      const post = (path: string, body: unknown) =>
        gw.call("POST", path, { as: owner, headers: { "Idempotency-Key": newKey() }, body });
      const transfer = (from: string, to: string) =>
        post("/v1/transfers", {
          program_id: programId,
          from_external_id: from,
          to_external_id: to,
          points: 10,
          reference: "gift",
        });
      const writes: [string, () => Promise<Answer>][] = [
        ["earn", () => hotel.move("earn", subject, 10)],
        ["burn", () => hotel.move("burn", subject, 10)],
        [
          "adjust",
          () =>
            post("/v1/transactions/adjustments", {
              program_id: programId,
              external_id: subject,
              points: 5,
              reason: "goodwill",
            }),
        ],
        [
          "redeem",
          () =>
            post("/v1/redemptions", {
              program_id: programId,
              external_id: subject,
              reward_id: world.reward.id,
              quantity: 1,
            }),
        ],
        ["transfer from", () => transfer(subject, friend.externalId)],
        ["transfer to", () => transfer(friend.externalId, subject)],
        [
          "quote from",
          () =>
            gw.call("POST", "/v1/conversions/quotes", {
              as: owner,
              body: {
                ...world.pair,
                from_external_id: subject,
                to_external_id: world.flyer.externalId,
                from_points: 1_000,
              },
            }),
        ],
        ["quote to", () => world.quoteIn()],
        ["execute", () => world.execute(quote.id)],
        ["PATCH", () => gw.call("PATCH", memberPath, { as: owner, body: { name: "Back again" } })],
        ["card", () => gw.call("POST", `${memberPath}/cards`, { as: owner, body: { number: "7100 0000 0001" } })],
        [
          "touchpoint",
          () =>
            gw.call("POST", `${memberPath}/touchpoints`, {
              as: owner,
              body: { channel: "email", reason: "other", direction: "outbound", note: "hello" },
            }),
        ],
        [
          "member session",
          () =>
            gw.call("POST", "/v1/member-sessions", {
              as: owner,
              headers: keyed,
              body: { program_id: programId, external_id: subject },
            }),
        ],
      ];
      for (const [what, write] of writes) {
        const problem = expectProblem(await write(), 409, "invalid_state", what);
        expect(problem.detail, what).toBe(
          `Member ${subject} of program ${programId} was erased on ${erasedAt}; it can no longer earn, burn or change.`,
        );
      }
      expect(await counts(), "nothing was written").toEqual(before);

      // Reads go on.
      expectBody(await gw.call("GET", memberPath, { as: owner }), op.getMember, 200);
      expectBody(await gw.call("GET", `${memberPath}/transactions`, { as: owner }), op.listMemberTransactions, 200);
      expectBody(await gw.call("GET", `${memberPath}/redemptions`, { as: owner }), op.listMemberRedemptions, 200);
      expectBody(await gw.call("GET", `${memberPath}/touchpoints`, { as: owner }), op.listTouchpoints, 200);
      expectBody(await gw.call("GET", `${memberPath}/activity`, { as: owner }), op.listMemberActivity, 200);
      // Refunds keep the books right: an earn made before the erase can still be reversed.
      expect((await hotel.reverse(earn.id, { points: 100 })).status).toBe(201);
      // The other side of the refusals is untouched: the friend still earns.
      await hotel.earn(friend.externalId, 10);
    });

    it("lets no earn in after an erase that races twenty of them", async () => {
      const { programId, owner, enrol, earn, move } = await setupProgram(gw);
      const grocer = await onboardPartner(gw);
      await addAgreement(gw, programId, grocer.id);
      const { externalId, id } = await enrol();
      // The grocer's first earn signs it in, so that the racing earns start at once.
      await earn(externalId, 100, { as: grocer });
      const answers = await Promise.all([
        ...Array.from({ length: 10 }, () => move("earn", externalId, 7, { as: grocer })),
        gw.call("POST", `/v1/programs/${programId}/members/${externalId}/erase`, { as: owner }),
        ...Array.from({ length: 10 }, () => move("earn", externalId, 7, { as: grocer })),
      ]);
      const earns = answers.filter((_, index) => index !== 10);
      expect(answers[10]?.status).toBe(200);
      const counted = tally(earns);
      expect(
        Object.keys(counted).every((label) => label === "201" || label === "409 invalid_state"),
        JSON.stringify(counted),
      ).toBe(true);
      // Every earn that answered 201 is in the journal, and committed before the erase (outbox order).
      const rows = await gw.rows<{ n: number }>(
        "select count(*) as n from ledger_transactions where member_id = ? and type = 'earn'",
        id,
      );
      expect(rows[0]?.n).toBe(1 + (counted["201"] ?? 0));
      const [erasedAt] = await gw.rows<{ rowid: number }>(
        "select max(rowid) as rowid from events where type = 'member.erased' and payload like ?",
        `%"${externalId}"%`,
      );
      const [lastEarn] = await gw.rows<{ rowid: number }>(
        "select max(rowid) as rowid from events where type = 'points.earned' and payload like ?",
        `%"${id}"%`,
      );
      expect(Number(lastEarn?.rowid)).toBeLessThan(Number(erasedAt?.rowid));
    });

    it("leaves no unlinked card's number in the copies of the member that stored events carry", async () => {
      const { programId, owner, enrol } = await setupProgram(gw);
      const { externalId } = await enrol();
      const memberPath = `/v1/programs/${programId}/members/${externalId}`;
      const number = `7300${Date.now() % 1e8}`;
      expectBody(await gw.call("POST", `${memberPath}/cards`, { as: owner, body: { number } }), op.linkMemberCard, 201);
      // The update's member.updated event carries the member as it then was: with its card.
      expectBody(await gw.call("PATCH", memberPath, { as: owner, body: { name: "Rui" } }), op.updateMember, 200);
      const copies = () =>
        gw.rows<{ payload: string }>(
          "select payload from events where type = 'member.updated' and json_extract(payload, '$.data.member.external_id') = ?",
          externalId,
        );
      expect(JSON.stringify(await copies())).toContain(number);
      expectBody(await gw.call("POST", `${memberPath}/erase`, { as: owner }), op.eraseMember, 200);
      const [copy] = await copies();
      expect(JSON.parse(copy?.payload ?? "{}").data.member.cards).toEqual([]);
      expect(JSON.stringify(await gw.rows("select payload from events"))).not.toContain(number);
    });

    it("forgets a card link's answer stored for its Idempotency-Key: a replay meets the erasure, not the number", async () => {
      const { programId, owner, enrol } = await setupProgram(gw);
      const { externalId } = await enrol();
      const memberPath = `/v1/programs/${programId}/members/${externalId}`;
      const number = `7400${Date.now() % 1e8}`;
      const key = newKey();
      const link = () =>
        gw.call("POST", `${memberPath}/cards`, { as: owner, headers: { "Idempotency-Key": key }, body: { number } });
      expectBody(await link(), op.linkMemberCard, 201);
      expectBody(await gw.call("POST", `${memberPath}/erase`, { as: owner }), op.eraseMember, 200);
      expect(JSON.stringify(await gw.rows("select response_body from idempotency_keys"))).not.toContain(number);
      expectProblem(await link(), 409, "invalid_state");
    });

    it("removes a touchpoint's note from the answer stored for its Idempotency-Key, which replays without it", async () => {
      const { programId, owner, enrol } = await setupProgram(gw);
      const { externalId } = await enrol();
      const memberPath = `/v1/programs/${programId}/members/${externalId}`;
      const note = `Called about her divorce ${newKey()}`;
      const key = newKey();
      const record = () =>
        gw.call("POST", `${memberPath}/touchpoints`, {
          as: owner,
          headers: { "Idempotency-Key": key },
          body: { channel: "call_center", reason: "complaint", direction: "inbound", note },
        });
      const recorded = expectBody(await record(), op.createTouchpoint, 201);
      expectBody(await gw.call("POST", `${memberPath}/erase`, { as: owner }), op.eraseMember, 200);
      expect(JSON.stringify(await gw.rows("select response_body from idempotency_keys"))).not.toContain(note);
      const replayed = await record();
      expect(replayed.headers.get("Idempotent-Replayed")).toBe("true");
      expect(expectBody(replayed, op.createTouchpoint, 201)).toEqual({ ...recorded, note: null });
    });
  });
}
