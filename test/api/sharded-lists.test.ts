import { join } from "node:path";
import { createClient } from "@libsql/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestGateway, type TestGateway } from "../support/gateway";
import { setupProgram } from "../support/ledger";

// The lists whose rows sit on every database of a sharded deployment (reviews, events, fraud events), served over
// HTTP by a gateway over main and an eu shard: one list, merged by id, with its cursor working across pages.

let gw: TestGateway;
let operator: string;
beforeAll(async () => {
  gw = await createTestGateway({}, { shards: ["eu"] });
  operator = await gw.operatorToken();
});
afterAll(() => gw.close());

/** Ids of one database file's rows, newest first, read apart from the gateway. */
async function idsInFile(file: string, sql: string, args: string[]) {
  const client = createClient({ url: `file:${join(gw.dir, file)}` });
  try {
    return (await client.execute({ sql, args })).rows.map((row) => String(row.id));
  } finally {
    client.close();
  }
}

/** Every id of a list, page by page forwards (`starting_after`) or backwards (`ending_before`) from one end. */
async function walk(path: string, token: string, direction: "starting_after" | "ending_before", start?: string) {
  const seen: string[] = [];
  let cursor = start;
  for (let pages = 0; pages < 20; pages++) {
    const separator = path.includes("?") ? "&" : "?";
    const page = await gw.call("GET", `${path}${separator}limit=2${cursor ? `&${direction}=${cursor}` : ""}`, {
      token,
    });
    expect(page.status, page.text).toBe(200);
    const ids: string[] = page.body.data.map((row: { id: string }) => row.id);
    if (direction === "starting_after") seen.push(...ids);
    else seen.unshift(...ids);
    if (!page.body.has_more) return seen;
    cursor = direction === "starting_after" ? ids.at(-1) : ids[0];
  }
  throw new Error("the list never ended");
}

const holdBurns = { max_burns_per_member_per_hour: 1, actions: { max_burns_per_member_per_hour: "hold" } };

describe("lists over two databases", () => {
  it("lists reviews, fraud events and events of both databases as one list, newest first, page by page", async () => {
    const home = await setupProgram(gw);
    const away = await setupProgram(gw, { database: "eu" });
    const programs = [home, away];
    const members: string[] = [];
    for (const program of programs) {
      const rules = await gw.call("PUT", `/v1/programs/${program.programId}/velocity-rules`, {
        token: operator,
        body: holdBurns,
      });
      expect(rules.status, rules.text).toBe(200);
      const member = await program.enrol();
      members.push(member);
      expect((await program.move("earn", member, 1_000)).status).toBe(201);
      expect((await program.move("burn", member, 10)).status).toBe(201);
    }
    // Held burns alternating between main and eu, so a merge by id interleaves the databases.
    const reviews: string[] = [];
    for (let round = 0; round < 3; round++)
      for (const [index, program] of programs.entries()) {
        const held = await program.move("burn", members[index] as string, 20 + round);
        expect(held.status, held.text).toBe(202);
        reviews.unshift(held.body.review_id);
      }
    const onEu = await idsInFile("eu.db", "select id from reviews order by id desc", []);
    expect(onEu).toHaveLength(3);
    expect(await idsInFile("gateway.db", "select id from reviews order by id desc", [])).toHaveLength(3);

    const queue = await gw.call("GET", "/v1/reviews?status=pending&limit=100", { token: operator });
    expect(queue.body).toMatchObject({ object: "list", has_more: false });
    expect(queue.body.data.map((review: { id: string }) => review.id)).toEqual(reviews);
    expect(await walk("/v1/reviews?status=pending", operator, "starting_after")).toEqual(reviews);
    expect(await walk("/v1/reviews?status=pending", operator, "ending_before", "rev_0")).toEqual(reviews);
    const middle = await gw.call("GET", `/v1/reviews?limit=2&starting_after=${reviews[1]}`, { token: operator });
    expect(middle.body.data.map((review: { id: string }) => review.id)).toEqual(reviews.slice(2, 4));
    expect(middle.body.has_more).toBe(true);
    const before = await gw.call("GET", `/v1/reviews?limit=2&ending_before=${reviews[4]}`, { token: operator });
    expect(before.body.data.map((review: { id: string }) => review.id)).toEqual(reviews.slice(2, 4));
    expect(before.body.has_more).toBe(true);

    // The operator decides a review that sits on eu by its id, and the queue no longer shows it.
    const approved = await gw.call("POST", `/v1/reviews/${onEu[0]}/approve`, { token: operator, body: {} });
    expect(approved.status, approved.text).toBe(200);
    const pending = await gw.call("GET", "/v1/reviews?status=pending&limit=100", { token: operator });
    expect(pending.body.data.map((review: { id: string }) => review.id)).toEqual(
      reviews.filter((id) => id !== onEu[0]),
    );

    const fraudPath = `/v1/fraud-events?partner_id=${home.owner.partner.id}&decision=held`;
    const fraud = await walk(fraudPath, operator, "starting_after");
    expect(fraud).toHaveLength(3);
    const awayFraud = await walk(`/v1/fraud-events?partner_id=${away.owner.partner.id}`, operator, "starting_after");
    expect(awayFraud).toEqual(await idsInFile("eu.db", "select id from fraud_events order by id desc", []));

    // A partner's events: every database's, the eu program's among them.
    const events = "select id from events where partner_id = ? order by id desc";
    const partnerEvents = async (owner: typeof away.owner) => [
      ...(await idsInFile("gateway.db", events, [owner.partner.id])),
      ...(await idsInFile("eu.db", events, [owner.partner.id])),
    ];
    const awayEvents = await partnerEvents(away.owner);
    expect(await idsInFile("eu.db", events, [away.owner.partner.id])).not.toHaveLength(0);
    expect(await walk("/v1/events", away.owner.token, "starting_after")).toEqual(awayEvents.sort().reverse());
    const homeEvents = await walk("/v1/events?type=points.held", home.owner.token, "starting_after");
    expect(homeEvents).toHaveLength(3);
  });

  it("answers a refused list as every database would, once", async () => {
    const refused = await gw.call("GET", "/v1/reviews?limit=500", { token: operator });
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe("validation_failed");
    const partner = await gw.onboardPartner();
    expect((await gw.call("GET", "/v1/reviews", { token: partner.token })).status).toBe(403);
  });
});
