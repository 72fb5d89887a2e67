import { addAgreement, onboardPartner, unique } from "./fixtures";
import type { Gateway } from "./gateway";
import { expectBody } from "./harness";
import * as op from "./routes";
import type { Credential } from "./target";
import { tieredProgram } from "./tier-fixtures";

// Factories of the catalogue scenarios (rewards.ts, rewards-import.ts): a program with what a reward can name.

/** A whole reward using every field a `partner` reward may have; each scenario changes what it tests. */
export const productReward = {
  sku: "ESP-100",
  name: "Espresso machine",
  description: "Fifteen bars, a milk frother",
  type: "product",
  points_price: 25_000,
  tiers: ["silver", "gold"],
  stock: 40,
  per_member_limit: 1,
  fulfilment: "partner",
  available_from: "2026-06-01T00:00:00Z",
  available_until: "2026-12-31T23:00:00-01:00",
  active: true,
  translations: {
    en: { name: "Espresso machine", description: "Fifteen bars" },
    "pt-BR": { name: "Máquina de espresso", description: "Quinze bares, vaporizador" },
    ru: { name: "Кофемашина" },
  },
};

/**
 * A tiered program (blue, silver, gold) owned by a new partner, with a partner that has an agreement in it (the
 * grocer, which fulfils orders there) and one that has none (the stranger, who owns another tiered program).
 * Helpers call the catalogue routes (as the owner unless told).
 */
export async function catalogueProgram(gw: Gateway) {
  const program = await tieredProgram(gw);
  const { owner, programId } = program;
  const grocer = await onboardPartner(gw);
  await addAgreement(gw, programId, grocer.id);
  const stranger = await tieredProgram(gw);

  const rewardsPath = `/v1/programs/${programId}/rewards`;
  const create = (body: unknown, as: Credential = owner) => gw.call("POST", rewardsPath, { as, body });
  /** Creates `productReward` (with a unique sku and the grocer fulfilling) with `changes`, expecting it created. */
  const created = async (changes: Record<string, unknown> = {}) =>
    expectBody(
      await create({ ...productReward, sku: unique("SKU"), fulfilling_partner_id: grocer.id, ...changes }),
      op.createReward,
      201,
    );
  const patch = (id: string, body: unknown, as: Credential = owner) =>
    gw.call("PATCH", `/v1/rewards/${id}`, { as, body });
  const patched = async (id: string, body: unknown) => expectBody(await patch(id, body), op.updateReward, 200);
  const get = (id: string, as: Credential = owner) => gw.call("GET", `/v1/rewards/${id}`, { as });
  const listed = (query = "", as: Credential = owner) => gw.call("GET", `${rewardsPath}${query}`, { as });
  /** The skus a list answers, in its order. */
  const skus = async (query = "", as: Credential = owner) =>
    expectBody(await listed(query, as), op.listRewards, 200).data.map((reward) => reward.sku);
  /** Every reward of the program as the owner reads them, newest first. */
  const catalogue = async () => expectBody(await listed("?limit=100"), op.listRewards, 200).data;
  const uploadCodes = (id: string, codes: unknown, as: Credential = owner) =>
    gw.call("POST", `/v1/rewards/${id}/codes`, { as, body: { codes } });
  /** Posts `csv` to the import as text/csv (`dry_run` when told). */
  const importCsv = (csv: string, options: { dryRun?: boolean; as?: Credential; type?: string } = {}) =>
    gw.call("POST", `${rewardsPath}/import${options.dryRun ? "?dry_run=true" : ""}`, {
      as: options.as ?? owner,
      headers: { "Content-Type": options.type ?? "text/csv; charset=utf-8" },
      body: csv,
    });
  const imported = async (csv: string, options: { dryRun?: boolean } = {}) =>
    expectBody(await importCsv(csv, options), op.importRewards, 200);
  /** The codes of a reward's pool by status, as stored. */
  const pool = async (id: string) =>
    (
      await gw.rows<{ code: string; status: string }>(
        "select code, status from reward_codes where reward_id = ? order by id",
        id,
      )
    ).map((row) => `${row.code}:${row.status}`);
  return {
    ...program,
    grocer,
    stranger,
    rewardsPath,
    create,
    created,
    patch,
    patched,
    get,
    listed,
    skus,
    catalogue,
    uploadCodes,
    importCsv,
    imported,
    pool,
  };
}

export type CatalogueProgram = Awaited<ReturnType<typeof catalogueProgram>>;
