import { addAgreement, newKey, onboardPartner, setupProgram, unique } from "./fixtures";
import type { Gateway } from "./gateway";
import { expectBody } from "./harness";
import * as op from "./routes";
import type { Credential } from "./target";

// Factories of the ad-hoc report scenarios (report-definitions.ts): a program with tiers, a grocer, and members
// written at known instants, and helpers to save and run report definitions.

/** A report run's row, as the run answers it. */
export type Row = Record<string, string | number | null>;

/** Where an earn or burn happened. */
type Where = { channel?: string; store_id?: string };

/**
 * A program (in `timezone`) owned by a new partner, with tiers blue (the entry tier) and gold (by hand only: no bonus,
 * so the journal holds only what a scenario writes), and a grocer with an agreement. Each helper moves the clock to
 * the instant it is given first, so every row has a known time.
 */
export async function reportWorld(gw: Gateway, timezone = "UTC", start = "2026-10-30T08:00:00Z") {
  gw.clock.set(start);
  const program = await setupProgram(gw);
  const { owner, programId } = program;
  if (timezone !== "UTC")
    expectBody(
      await gw.call("PATCH", `/v1/programs/${programId}`, { as: owner, body: { timezone } }),
      op.updateProgram,
      200,
    );
  expectBody(
    await gw.call("PUT", `/v1/programs/${programId}/tiers`, {
      as: owner,
      body: {
        qualification_window_days: 365,
        tiers: [
          { key: "blue", name: "Blue" },
          { key: "gold", name: "Gold", min_points: 1_000_000 },
        ],
      },
    }),
    op.putTiers,
    200,
  );
  const grocer = await onboardPartner(gw);
  await addAgreement(gw, programId, grocer.id);

  /** Enrols a member at `at`, with a locale if given. */
  const enrolAt = async (at: string, locale?: string) => {
    gw.clock.set(at);
    const externalId = unique("M");
    const member = expectBody(
      await gw.call("POST", `/v1/programs/${programId}/members`, {
        as: owner,
        body: { external_id: externalId, ...(locale && { locale }) },
      }),
      op.enrolMember,
      201,
    );
    return { externalId, id: member.id };
  };
  /** Puts a member in gold by hand (a status match), at the clock's instant. */
  const makeGold = async (externalId: string) =>
    expectBody(
      await gw.call("POST", `/v1/programs/${programId}/members/${externalId}/tier`, {
        as: owner,
        body: { tier_key: "gold", reason: "status match" },
      }),
      op.setMemberTier,
      200,
    );
  /** Earns at `at`: `points`, or a purchase in USD (1 point per 100 minor units at the owner's agreement). */
  const earnAt = async (
    at: string,
    externalId: string,
    amount: { points: number } | { purchase_minor: number },
    where: Where = {},
    as: Credential = owner,
  ) => {
    gw.clock.set(at);
    const body =
      "points" in amount
        ? { points: amount.points }
        : { purchase: { amount_minor: amount.purchase_minor, currency: "USD" } };
    return expectBody(
      await gw.call("POST", "/v1/transactions/earn", {
        as,
        headers: { "Idempotency-Key": newKey() },
        body: { program_id: programId, external_id: externalId, reference: unique("earn"), ...body, ...where },
      }),
      op.earnPoints,
      201,
    );
  };
  const burnAt = async (at: string, externalId: string, points: number, where: Where = {}) => {
    gw.clock.set(at);
    return expectBody(
      await gw.call("POST", "/v1/transactions/burn", {
        as: owner,
        headers: { "Idempotency-Key": newKey() },
        body: { program_id: programId, external_id: externalId, points, reference: unique("burn"), ...where },
      }),
      op.burnPoints,
      201,
    );
  };
  const reverseAt = async (at: string, transactionId: string) => {
    gw.clock.set(at);
    const answer = await program.reverse(transactionId);
    return expectBody(answer, op.reverseTransaction, 201);
  };

  const definitionsPath = `/v1/programs/${programId}/report-definitions`;
  /** Saves a definition (as the owner unless told); answers whatever the gateway answered. */
  const create = (body: unknown, as: Credential = owner) => gw.call("POST", definitionsPath, { as, body });
  /** Saves a definition expecting it saved. */
  const define = async (body: Record<string, unknown>) =>
    expectBody(await create({ name: unique("Report"), ...body }), op.createReportDefinition, 201);
  const query = (range: { from?: string; to?: string }) => {
    const params = new URLSearchParams(Object.entries(range).filter(([, v]) => v !== undefined) as [string, string][]);
    return params.size === 0 ? "" : `?${params}`;
  };
  /** Runs a definition (as the owner unless told); answers whatever the gateway answered. */
  const run = (id: string, range: { from?: string; to?: string } = {}, as: Credential = owner) =>
    gw.call("GET", `/v1/report-definitions/${id}/run${query(range)}`, { as });
  const runCsv = (id: string, range: { from?: string; to?: string } = {}, as: Credential = owner) =>
    gw.call("GET", `/v1/report-definitions/${id}/run.csv${query(range)}`, { as });
  /** Saves a definition and runs it over `range`, expecting the run. */
  const report = async (body: Record<string, unknown>, range: { from?: string; to?: string }) =>
    expectBody(await run((await define(body)).id, range), op.runReportDefinition, 200);
  /** The rows of a saved-and-run definition over `range`. */
  const rowsOf = async (body: Record<string, unknown>, range: { from?: string; to?: string }) =>
    (await report(body, range)).rows;

  return {
    ...program,
    grocer,
    enrolAt,
    makeGold,
    earnAt,
    burnAt,
    reverseAt,
    definitionsPath,
    create,
    define,
    run,
    runCsv,
    report,
    rowsOf,
  };
}
