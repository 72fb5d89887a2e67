import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { setupProgram } from "../support/ledger";
import { useListeningGateway } from "../support/listening";

const served = useListeningGateway();

let numbers = 0;
/** A card number unique to this file's run, typed with spaces as a cashier would. */
const newNumber = () => `7${String(Date.now()).slice(-9)} ${String(++numbers).padStart(6, "0")}`;
const normalised = (typed: string) => typed.replace(/[ -]/g, "");

/** Over real HTTP, so the links truly overlap in the server, its group commit and the database file. */
async function link(programId: string, externalId: string, token: string, body: unknown) {
  const response = await fetch(`${served.url}/v1/programs/${programId}/members/${externalId}/cards`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

async function rowsOf(programId: string, number: string) {
  return served.gw.deps.db.all<{ member_id: string }>(
    sql`select member_id from member_cards where program_id = ${programId} and number = ${number}`,
  );
}

/** 20 members of a new program, enrolled one after another. */
async function twentyMembers() {
  const program = await setupProgram(served.gw);
  const members: string[] = [];
  for (let i = 0; i < 20; i++) members.push(await program.enrol());
  return { ...program, members };
}

describe("cards under concurrency, over HTTP, on a libSQL file", () => {
  it("gives a number to exactly one of 20 members linking it at once; the others get 409", async () => {
    const { owner, programId, members } = await twentyMembers();
    const number = newNumber();
    const answers = await Promise.all(members.map((member) => link(programId, member, owner.token, { number })));
    const won = answers.filter((answer) => answer.status === 201);
    expect(won).toHaveLength(1);
    for (const lost of answers.filter((answer) => answer.status !== 201)) {
      expect(lost.status).toBe(409);
      expect(lost.body.code).toBe("conflict");
    }
    const rows = await rowsOf(programId, normalised(number));
    expect(rows).toHaveLength(1);
    const winner = members[answers.findIndex((answer) => answer.status === 201)];
    expect(won[0]?.body.external_id).toBe(winner);
    const found = await served.gw.call("GET", `/v1/programs/${programId}/cards/${normalised(number)}`, {
      token: owner.token,
    });
    expect(found.body.external_id).toBe(winner);
  });

  it("moves a number 20 times at once with replace: true and leaves one row, held by the last mover", async () => {
    const { owner, programId, members } = await twentyMembers();
    const number = newNumber();
    const first = members[0] as string;
    expect((await link(programId, first, owner.token, { number })).status).toBe(201);
    const answers = await Promise.all(
      members.slice(1).map((member) => link(programId, member, owner.token, { number, replace: true })),
    );
    // Each move is one atomic write: every one of them took the card from whoever held it.
    expect(answers.map((answer) => answer.status)).toEqual(members.slice(1).map(() => 201));
    const rows = await rowsOf(programId, normalised(number));
    expect(rows).toHaveLength(1);
    const holders: string[] = [];
    for (const member of members) {
      const answer = await served.gw.call("GET", `/v1/programs/${programId}/members/${member}`, { token: owner.token });
      if (answer.body.cards.length > 0) holders.push(answer.body.id);
    }
    expect(holders).toEqual([rows[0]?.member_id]);
  });

  it("links a number once when one member sends the same link 20 times at once: one 201, the rest 200", async () => {
    const { owner, programId, members } = await twentyMembers();
    const number = newNumber();
    const member = members[3] as string;
    const answers = await Promise.all(members.map(() => link(programId, member, owner.token, { number })));
    expect(answers.filter((answer) => answer.status === 201)).toHaveLength(1);
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(19);
    expect(new Set(answers.map((answer) => JSON.stringify(answer.body))).size).toBe(1);
    expect(await rowsOf(programId, normalised(number))).toHaveLength(1);
  });
});
