import { describe, expect, it } from "vitest";
import { addAgreement, newKey, onboardPartner, setupProgram } from "./fixtures";
import { connect, type Gateway } from "./gateway";
import { expectBody, expectProblem, tally } from "./harness";
import * as op from "./routes";
import type { Credential, Target } from "./target";

type Program = Awaited<ReturnType<typeof setupProgram>>;

/** A unique card number of 16 digits, typed as people type it: groups of four with spaces and a dash. */
const newCardNumber = () => {
  const digits = Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => byte % 10).join("");
  return { typed: `${digits.slice(0, 4)} ${digits.slice(4, 8)}-${digits.slice(8, 12)} ${digits.slice(12)}`, digits };
};

/** Helpers to link, unlink and look up cards in one program. */
function cardsOf(gw: Gateway, program: Program) {
  const base = `/v1/programs/${program.programId}`;
  return {
    link: (externalId: string, body: unknown, as: Credential = program.owner, headers: Record<string, string> = {}) =>
      gw.call("POST", `${base}/members/${encodeURIComponent(externalId)}/cards`, { as, body, headers }),
    unlink: (externalId: string, number: string, as: Credential = program.owner) =>
      gw.call("DELETE", `${base}/members/${encodeURIComponent(externalId)}/cards/${encodeURIComponent(number)}`, {
        as,
      }),
    lookup: (number: string, as: Credential = program.owner) =>
      gw.call("GET", `${base}/cards/${encodeURIComponent(number)}`, { as }),
    /** The rows of the number in the table, whoever holds it. */
    rows: (number: string) =>
      gw.rows<{ member_id: string }>(
        "select member_id from member_cards where program_id = ? and number = ?",
        program.programId,
        number,
      ),
  };
}

/**
 * Cards (issue 16, item 4): linking a number to a member (unique per program, normalised), looking the member up
 * by it, unlinking a lost card and moving it to another member in one atomic write; refusals, hostile numbers
 * and other tenants.
 */
export function cardScenarios(target: Target) {
  const gw = connect(target);

  describe("POST /v1/programs/{program_id}/members/{external_id}/cards", () => {
    it("links a number, normalised, answers 201, then 200 with the same card when linked again", async () => {
      const program = await setupProgram(gw);
      const cards = cardsOf(gw, program);
      const guest = await program.enrol();
      const { typed, digits } = newCardNumber();
      const linked = expectBody(await cards.link(guest.externalId, { number: typed }), op.linkMemberCard, 201);
      expect(linked).toEqual({
        number: digits,
        program_id: program.programId,
        external_id: guest.externalId,
        linked_at: target.clock.now().toISOString(),
      });
      target.clock.advance(60_000);
      const again = expectBody(await cards.link(guest.externalId, { number: digits }), op.linkMemberCard, 200);
      expect(again).toEqual(linked);
      const member = expectBody(await program.member(guest.externalId), op.getMember, 200);
      expect(member.cards).toEqual([{ number: digits, linked_at: linked.linked_at }]);
      expect(await cards.rows(digits)).toEqual([{ member_id: guest.id }]);
    });

    it("stores letters upper-cased and lists a member's cards oldest first", async () => {
      const program = await setupProgram(gw);
      const cards = cardsOf(gw, program);
      const guest = await program.enrol();
      const first = newCardNumber();
      const letters = `dg-${first.digits.slice(0, 10)}`;
      expectBody(await cards.link(guest.externalId, { number: first.typed }), op.linkMemberCard, 201);
      target.clock.advance(1_000);
      const second = expectBody(await cards.link(guest.externalId, { number: letters }), op.linkMemberCard, 201);
      expect(second.number).toBe(`DG${first.digits.slice(0, 10)}`);
      const member = expectBody(await program.member(guest.externalId), op.getMember, 200);
      expect(member.cards.map((card) => card.number)).toEqual([first.digits, second.number]);
    });

    it("refuses a number another member holds with 409, naming neither that member nor changing anything", async () => {
      const program = await setupProgram(gw);
      const cards = cardsOf(gw, program);
      const [holder, other] = [await program.enrol(), await program.enrol()];
      const { typed, digits } = newCardNumber();
      expectBody(await cards.link(holder.externalId, { number: typed }), op.linkMemberCard, 201);
      const refused = expectProblem(await cards.link(other.externalId, { number: digits }), 409, "conflict");
      expect(refused.detail).toContain("replace");
      expect(refused.detail).not.toContain(holder.externalId);
      expect(refused.detail).not.toContain(holder.id);
      expect(await cards.rows(digits)).toEqual([{ member_id: holder.id }]);
      expect(expectBody(await cards.lookup(digits), op.getMemberByCard, 200).external_id).toBe(holder.externalId);
    });

    it("moves a lost card to another member in one write with replace: true", async () => {
      const program = await setupProgram(gw);
      const cards = cardsOf(gw, program);
      const [lost, found] = [await program.enrol(), await program.enrol()];
      const { typed, digits } = newCardNumber();
      expectBody(await cards.link(lost.externalId, { number: typed }), op.linkMemberCard, 201);
      target.clock.advance(60_000);
      const moved = expectBody(
        await cards.link(found.externalId, { number: typed, replace: true }),
        op.linkMemberCard,
        201,
      );
      expect(moved).toMatchObject({ number: digits, external_id: found.externalId });
      expect(moved.linked_at).toBe(target.clock.now().toISOString());
      expect(await cards.rows(digits)).toEqual([{ member_id: found.id }]);
      expect(expectBody(await cards.lookup(digits), op.getMemberByCard, 200).id).toBe(found.id);
      expect(expectBody(await program.member(lost.externalId), op.getMember, 200).cards).toEqual([]);
      // Replacing what the member already holds changes nothing.
      const kept = expectBody(
        await cards.link(found.externalId, { number: digits, replace: true }),
        op.linkMemberCard,
        200,
      );
      expect(kept).toEqual(moved);
    });

    it("lets exactly one of several members racing for the same number have it", async () => {
      const program = await setupProgram(gw);
      const cards = cardsOf(gw, program);
      const racers = await Promise.all(Array.from({ length: 8 }, () => program.enrol()));
      const { digits } = newCardNumber();
      const answers = await Promise.all(racers.map((racer) => cards.link(racer.externalId, { number: digits })));
      expect(tally(answers)).toEqual({ "201": 1, "409 conflict": 7 });
      const winner = racers[answers.findIndex((answer) => answer.status === 201)];
      expect(await cards.rows(digits)).toEqual([{ member_id: winner?.id }]);
    });

    it("replays an Idempotency-Key's first answer", async () => {
      const program = await setupProgram(gw);
      const cards = cardsOf(gw, program);
      const guest = await program.enrol();
      const { digits } = newCardNumber();
      const headers = { "Idempotency-Key": newKey() };
      const first = expectBody(
        await cards.link(guest.externalId, { number: digits }, program.owner, headers),
        op.linkMemberCard,
        201,
      );
      const replayed = await cards.link(guest.externalId, { number: digits }, program.owner, headers);
      expect(replayed.headers.get("Idempotent-Replayed")).toBe("true");
      expect(expectBody(replayed, op.linkMemberCard, 201)).toEqual(first);
    });

    it("refuses hostile numbers with 400 and the field's path, and writes nothing", async () => {
      const program = await setupProgram(gw);
      const cards = cardsOf(gw, program);
      const guest = await program.enrol();
      const hostile: unknown[] = [
        "",
        "123",
        "1".repeat(33),
        "4000 1234 5678 9010 4000 1234 5678 9010 1",
        "4000\u00001234",
        "4000\n12345678",
        "4000\t1234",
        "4000 1234 💳",
        "4000_1234_5678",
        "４０００１２３４",
        "' or 1=1 --",
        " - - - ",
        `${"-".repeat(60)}12345`,
        12345678,
        null,
      ];
      for (const number of hostile) {
        const problem = expectProblem(
          await cards.link(guest.externalId, { number }),
          400,
          "validation_failed",
          JSON.stringify(number),
        );
        expect(problem.errors?.map((error) => error.path)).toContain("number");
      }
      const extra = expectProblem(
        await cards.link(guest.externalId, { number: "40001234", owner: "x" }),
        400,
        "validation_failed",
      );
      expect(extra.errors?.length).toBeGreaterThan(0);
      expectProblem(
        await cards.link(guest.externalId, { number: "40001234", replace: "yes" }),
        400,
        "validation_failed",
      );
      for (const number of ["", "123", "1".repeat(33), "4000\u00001234", "💳💳💳💳"])
        expect([400, 404]).toContain((await cards.lookup(number)).status);
      for (const number of ["123", "1".repeat(33), "4000%1234", "💳💳💳💳"])
        expectProblem(await cards.lookup(number), 400, "validation_failed", number);
      expect(await gw.rows("select number from member_cards where program_id = ?", program.programId)).toEqual([]);
    });

    it("answers 404 for a member the program does not have", async () => {
      const program = await setupProgram(gw);
      expectProblem(
        await cardsOf(gw, program).link("nobody-here", { number: newCardNumber().digits }),
        404,
        "not_found",
      );
    });
  });

  describe("GET /v1/programs/{program_id}/cards/{number}", () => {
    it("answers the member as getMember does, whatever spaces, dashes and case the number is typed with", async () => {
      const program = await setupProgram(gw);
      const cards = cardsOf(gw, program);
      const guest = await program.enrol();
      await program.earn(guest.externalId, 250);
      const { typed, digits } = newCardNumber();
      expectBody(await cards.link(guest.externalId, { number: `ab${digits}` }), op.linkMemberCard, 201);
      const member = expectBody(await program.member(guest.externalId), op.getMember, 200);
      expect(member.balance.available).toBe(250);
      for (const number of [`AB${digits}`, `ab-${typed}`, `A B ${typed}`])
        expect(expectBody(await cards.lookup(number), op.getMemberByCard, 200), number).toEqual(member);
      expectProblem(await cards.lookup(typed), 404, "not_found");
    });

    it("lets partners with an agreement and the operator find the member; another partner's program is 404", async () => {
      const program = await setupProgram(gw);
      const cards = cardsOf(gw, program);
      const guest = await program.enrol();
      const { digits } = newCardNumber();
      expectBody(await cards.link(guest.externalId, { number: digits }), op.linkMemberCard, 201);
      const grocer = await onboardPartner(gw);
      await addAgreement(gw, program.programId, grocer.id);
      const stranger = await onboardPartner(gw);

      expect(expectBody(await cards.lookup(digits, grocer), op.getMemberByCard, 200).id).toBe(guest.id);
      expect(expectBody(await cards.lookup(digits, gw.operator), op.getMemberByCard, 200).id).toBe(guest.id);
      const hidden = expectProblem(await cards.lookup(digits, stranger), 404, "not_found");
      expect(hidden.detail).not.toContain(guest.externalId);
      // An unknown number answers the stranger exactly as a known one does.
      expect(expectProblem(await cards.lookup(newCardNumber().digits, stranger), 404, "not_found").detail).toBe(
        hidden.detail,
      );
      expectProblem(await cards.link(guest.externalId, { number: newCardNumber().digits }, stranger), 404, "not_found");
      expectProblem(await cards.unlink(guest.externalId, digits, stranger), 404, "not_found");
      expect(await cards.rows(digits)).toEqual([{ member_id: guest.id }]);

      // The partner with an agreement and the operator link and unlink too.
      const second = newCardNumber().digits;
      expectBody(await cards.link(guest.externalId, { number: second }, grocer), op.linkMemberCard, 201);
      expectBody(await cards.unlink(guest.externalId, second, gw.operator), op.unlinkMemberCard, 200);
      const third = newCardNumber().digits;
      expectBody(await cards.link(guest.externalId, { number: third }, gw.operator), op.linkMemberCard, 201);
      expectBody(await cards.unlink(guest.externalId, third, grocer), op.unlinkMemberCard, 200);
    });

    it("needs members:read to look up and members:write to link or unlink", async () => {
      const program = await setupProgram(gw);
      const cards = cardsOf(gw, program);
      const guest = await program.enrol();
      const { digits } = newCardNumber();
      const readOnly = await gw.token(program.owner, "members:read");
      const path = `/v1/programs/${program.programId}/members/${guest.externalId}/cards`;
      expectProblem(await gw.call("POST", path, { token: readOnly, body: { number: digits } }), 403, "forbidden");
      expectBody(await cards.link(guest.externalId, { number: digits }), op.linkMemberCard, 201);
      expectProblem(await gw.call("DELETE", `${path}/${digits}`, { token: readOnly }), 403, "forbidden");
      const writeOnly = await gw.token(program.owner, "members:write");
      expectProblem(
        await gw.call("GET", `/v1/programs/${program.programId}/cards/${digits}`, { token: writeOnly }),
        403,
        "forbidden",
      );
      expectBody(
        await gw.call("GET", `/v1/programs/${program.programId}/cards/${digits}`, { token: readOnly }),
        op.getMemberByCard,
        200,
      );
    });
  });

  describe("DELETE /v1/programs/{program_id}/members/{external_id}/cards/{number}", () => {
    it("unlinks a lost card, answers it, and the number then finds nobody and may be linked again", async () => {
      const program = await setupProgram(gw);
      const cards = cardsOf(gw, program);
      const [lost, next] = [await program.enrol(), await program.enrol()];
      const { typed, digits } = newCardNumber();
      const linked = expectBody(await cards.link(lost.externalId, { number: digits }), op.linkMemberCard, 201);
      const unlinked = expectBody(await cards.unlink(lost.externalId, typed), op.unlinkMemberCard, 200);
      expect(unlinked).toEqual(linked);
      expect(await cards.rows(digits)).toEqual([]);
      expectProblem(await cards.lookup(digits), 404, "not_found");
      expectProblem(await cards.unlink(lost.externalId, digits), 404, "not_found");
      expect(expectBody(await program.member(lost.externalId), op.getMember, 200).cards).toEqual([]);
      expectBody(await cards.link(next.externalId, { number: typed }), op.linkMemberCard, 201);
    });

    it("answers 404 and keeps the card when another member holds the number", async () => {
      const program = await setupProgram(gw);
      const cards = cardsOf(gw, program);
      const [holder, other] = [await program.enrol(), await program.enrol()];
      const { digits } = newCardNumber();
      expectBody(await cards.link(holder.externalId, { number: digits }), op.linkMemberCard, 201);
      expectProblem(await cards.unlink(other.externalId, digits), 404, "not_found");
      expectProblem(await cards.unlink(holder.externalId, "12"), 400, "validation_failed");
      expect(await cards.rows(digits)).toEqual([{ member_id: holder.id }]);
    });
  });

  it("keeps numbers per program: the same number may belong to members of two programs", async () => {
    const [hotel, airline] = [await setupProgram(gw), await setupProgram(gw)];
    const [guest, flyer] = [await hotel.enrol(), await airline.enrol()];
    const { digits } = newCardNumber();
    expectBody(await cardsOf(gw, hotel).link(guest.externalId, { number: digits }), op.linkMemberCard, 201);
    expectBody(await cardsOf(gw, airline).link(flyer.externalId, { number: digits }), op.linkMemberCard, 201);
    expect(expectBody(await cardsOf(gw, airline).lookup(digits), op.getMemberByCard, 200).id).toBe(flyer.id);
    // The hotel's owner has no agreement with the airline: its number there is 404.
    expectProblem(await cardsOf(gw, airline).lookup(digits, hotel.owner), 404, "not_found");
  });
}
