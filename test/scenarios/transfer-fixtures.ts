import { expect } from "vitest";
import { newKey, setupProgram, unique } from "./fixtures";
import type { Gateway } from "./gateway";
import { expectBody } from "./harness";
import * as op from "./routes";
import type { Answer, Credential } from "./target";

export const DAY = 86_400_000;
export const HOUR = 3_600_000;

/** Who sends it (the owner unless told; `token`: a narrowed one), its Idempotency-Key (null: none) and reference. */
type TransferOptions = { as?: Credential; token?: string; key?: string | null; reference?: string };

/**
 * A program with transfer `rules` set by its owner (transfers on unless they say otherwise), and helpers to enrol,
 * fund and transfer (as the owner unless told). `program` overrides the program's creation (review threshold,
 * expiry), `timezone` is set afterwards as the owner does.
 */
export async function transferProgram(
  gw: Gateway,
  rules: Record<string, unknown> = {},
  program: Record<string, unknown> & { timezone?: string } = {},
) {
  const { timezone, ...creation } = program;
  const world = await setupProgram(gw, creation);
  if (timezone)
    expectBody(
      await gw.call("PATCH", `/v1/programs/${world.programId}`, { as: world.owner, body: { timezone } }),
      op.updateProgram,
      200,
    );
  const put = (body: Record<string, unknown>, as: Credential = world.owner) =>
    gw.call("PUT", `/v1/programs/${world.programId}/transfer-rules`, { as, body });
  expectBody(await put({ enabled: true, ...rules }), op.putTransferRules, 200);

  /** A member funded with `points` (earned by the owner now; none when 0). */
  const funded = async (points: number) => {
    const member = await world.enrol();
    if (points > 0) await world.earn(member.externalId, points);
    return member;
  };
  /** Sends `points` from one member to another; answers whatever the gateway answered. */
  const send = (from: string, to: string, points: number, options: TransferOptions = {}): Promise<Answer> =>
    gw.call("POST", "/v1/transfers", {
      ...(options.token ? { token: options.token } : { as: options.as ?? world.owner }),
      headers: options.key === null ? {} : { "Idempotency-Key": options.key ?? newKey() },
      body: {
        program_id: world.programId,
        from_external_id: from,
        to_external_id: to,
        points,
        reference: options.reference ?? unique("gift"),
      },
    });
  /** Sends, expecting the completed transfer. */
  const sent = async (from: string, to: string, points: number, options: TransferOptions = {}) =>
    expectBody(await send(from, to, points, options), op.createTransfer, 201);
  const get = (id: string, as: Credential = world.owner) => gw.call("GET", `/v1/transfers/${id}`, { as });
  /** Available and pending points of a member. */
  const points = async (externalId: string) => {
    const { available, pending } = await world.balance(externalId);
    return { available, pending };
  };
  return { ...world, put, funded, send, sent, get, points };
}

/** The events of a transfer: who got which type, and each one's data. */
export async function transferEvents(gw: Gateway, transferId: string) {
  const rows = await gw.rows<{ partner_id: string; type: string; payload: string }>(
    "select partner_id, type, payload from events where json_extract(payload, '$.data.id') = ? order by partner_id",
    transferId,
  );
  return rows.map((row) => ({ partnerId: row.partner_id, type: row.type, data: JSON.parse(row.payload).data }));
}

/** The journal legs of a transaction, as (account, amount), smallest amount first. */
export async function legsOf(gw: Gateway, transactionId: string) {
  return gw.rows<{ account_id: string; amount: number }>(
    "select account_id, amount from ledger_entries where transaction_id = ? order by amount",
    transactionId,
  );
}

/** The transfer's stored row (what the API does not show: its month and journal transactions). */
export async function transferRow(gw: Gateway, transferId: string) {
  const [row] = await gw.rows<{
    status: string;
    month: string;
    out_transaction_id: string;
    in_transaction_id: string | null;
  }>("select status, month, out_transaction_id, in_transaction_id from transfers where id = ?", transferId);
  expect(row, `transfer ${transferId}`).toBeDefined();
  return row as NonNullable<typeof row>;
}
