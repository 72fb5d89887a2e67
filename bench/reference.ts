import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { text } from "node:stream/consumers";
import { jwtVerify, SignJWT } from "jose";
import Database from "libsql";
import { seed, startGateway } from "./gateway";

/**
 * The plain durable implementation the gateway is measured against (issue 22): what a developer would write in an
 * afternoon with node:http and libsql's native (better-sqlite3-compatible) synchronous API, on the gateway's own
 * tables, seeded by the gateway itself. Per request: an HS256 JWT verified with jose, the JSON body checked, then
 * for earn and burn one transaction (the idempotency key looked up, the member and its account read, the journal
 * row, its two legs, both balances moved, the idempotency record and the outbox event written) committed with
 * synchronous=FULL: one fsync per request, on the event loop. A balance read is the token and one query.
 * No rate limits, no velocity rules, no tiers or promotions, no webhooks sent: the floor of the work.
 */
export async function startReference(file: string, programId: string) {
  const db = new Database(file);
  db.exec(
    "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON;",
  );
  const secret = new TextEncoder().encode(randomUUID() + randomUUID());
  const partnerId = (
    db.prepare("select partner_id from programs where id = ?").get(programId) as { partner_id: string }
  ).partner_id;
  const token = await new SignJWT({ scope: "transactions:write members:read" })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(partnerId)
    .setExpirationTime("1h")
    .sign(secret);

  const statements = {
    replay: db.prepare("select status_code, response_body from idempotency_keys where partner_id = ? and key = ?"),
    member: db.prepare(
      `select m.id, a.balance from members m join accounts a on a.id = m.id
       where m.program_id = ? and m.external_id = ?`,
    ),
    journal: db.prepare(
      `insert into ledger_transactions (id, type, program_id, member_id, partner_id, points, balance_after, reference,
         created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    leg: db.prepare(
      "insert into ledger_entries (transaction_id, program_id, account_id, amount, created_at) values (?, ?, ?, ?, ?)",
    ),
    move: db.prepare("update accounts set balance = balance + ? where id = ?"),
    record: db.prepare(
      `insert into idempotency_keys (partner_id, key, request_hash, status_code, response_body, created_at)
       values (?, ?, ?, ?, ?, ?)`,
    ),
    event: db.prepare("insert into events (id, partner_id, type, payload, created_at) values (?, ?, ?, ?, ?)"),
  };

  type Movement = { program_id: string; external_id: string; points: number; reference?: string };
  const parseMovement = (body: string): Movement | undefined => {
    try {
      const value = JSON.parse(body) as Movement;
      const ok =
        typeof value.program_id === "string" &&
        typeof value.external_id === "string" &&
        Number.isSafeInteger(value.points) &&
        value.points > 0;
      return ok ? value : undefined;
    } catch {
      return undefined;
    }
  };

  /** One earn or burn: one transaction, one fsync. */
  const move = db.transaction((kind: "earn" | "burn", key: string, body: string, movement: Movement) => {
    const replay = statements.replay.get(partnerId, key) as { status_code: number; response_body: string } | undefined;
    if (replay) return { status: replay.status_code, body: replay.response_body };
    const member = statements.member.get(movement.program_id, movement.external_id) as
      | { id: string; balance: number }
      | undefined;
    if (!member) return { status: 404, body: JSON.stringify({ error: { code: "not_found" } }) };
    const signed = kind === "earn" ? movement.points : -movement.points;
    if (member.balance + signed < 0) return { status: 422, body: JSON.stringify({ error: { code: "insufficient" } }) };
    const id = `txn_${randomUUID()}`;
    const now = Date.now();
    const transaction = {
      id,
      type: kind,
      program_id: movement.program_id,
      external_id: movement.external_id,
      points: movement.points,
      balance_after: member.balance + signed,
      reference: movement.reference ?? null,
      created_at: new Date(now).toISOString(),
    };
    const response = JSON.stringify(transaction);
    statements.journal.run(
      id,
      kind,
      movement.program_id,
      member.id,
      partnerId,
      movement.points,
      transaction.balance_after,
      transaction.reference,
      now,
    );
    const issuance = `${movement.program_id}:issuance`;
    statements.leg.run(id, movement.program_id, member.id, signed, now);
    statements.leg.run(id, movement.program_id, issuance, -signed, now);
    statements.move.run(signed, member.id);
    statements.move.run(-signed, issuance);
    statements.record.run(partnerId, key, body.length.toString(), 201, response, now);
    const payload = JSON.stringify({ type: `points.${kind === "earn" ? "earned" : "burned"}`, data: transaction });
    statements.event.run(`evt_${randomUUID()}`, partnerId, `points.${kind}`, payload, now);
    return { status: 201, body: response };
  });

  const send = (response: ServerResponse, status: number, body: string) => {
    response.writeHead(status, { "content-type": "application/json" });
    response.end(body);
  };

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const bearer = request.headers.authorization?.replace(/^Bearer /, "") ?? "";
    try {
      await jwtVerify(bearer, secret, { algorithms: ["HS256"] });
    } catch {
      return send(response, 401, JSON.stringify({ error: { code: "unauthorized" } }));
    }
    const url = request.url ?? "";
    if (request.method === "GET") {
      const match = /^\/v1\/programs\/([^/]+)\/members\/([^/?]+)$/.exec(url);
      const member = match && statements.member.get(match[1], decodeURIComponent(match[2] as string));
      if (!member) return send(response, 404, JSON.stringify({ error: { code: "not_found" } }));
      const { balance } = member as { balance: number };
      return send(response, 200, JSON.stringify({ external_id: match[2], balance: { available: balance } }));
    }
    const kind = url === "/v1/transactions/earn" ? "earn" : url === "/v1/transactions/burn" ? "burn" : undefined;
    const key = request.headers["idempotency-key"];
    const body = await text(request);
    const movement = parseMovement(body);
    if (!kind || typeof key !== "string" || !movement)
      return send(response, 400, JSON.stringify({ error: { code: "invalid_request" } }));
    const result = move(kind, key, body, movement);
    send(response, result.status, result.body);
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => send(response, 500, JSON.stringify({ error: String(error) })));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    async stop() {
      await new Promise((done) => {
        server.close(done);
        server.closeAllConnections();
      });
      db.close();
    },
  };
}

/**
 * A database for the reference, seeded by the gateway itself through its API exactly as the gateway's own is (one
 * partner, its program, `members` funded members), so both serve the same tables, rows and indexes.
 */
export async function seedReferenceDatabase(members: number) {
  const dir = mkdtempSync(join(tmpdir(), "gateway-bench-reference-"));
  const file = join(dir, "reference.db");
  const gateway = await startGateway({ databaseFile: file });
  try {
    const seeded = await seed(gateway, members, { tiers: false, promotions: false });
    const { programId, memberPrefix } = seeded.target("", "earn");
    return { file, programId, memberPrefix, remove: () => rmSync(dir, { recursive: true, force: true }) };
  } finally {
    await gateway.stop();
  }
}
