import { addAgreement, onboardPartner } from "./fixtures";
import type { Gateway } from "./gateway";
import { expectBody } from "./harness";
import * as op from "./routes";
import type { Answer, Credential, Target } from "./target";
import { tieredProgram } from "./tier-fixtures";

// Factories of the promotions CRUD scenarios (promotions-crud.ts): a program with what a promotion can name.

/**
 * A whole definition using the parts a draft earn promotion may have; each scenario changes what it tests. It stacks
 * (the default, left out) so that a change of trigger alone is valid: only earn promotions can be exclusive.
 */
export const earnDefinition = {
  name: "Weekend evenings double",
  description: "Twice the miles on Friday and Saturday evenings",
  status: "draft",
  starts_at: "2026-06-01T00:00:00Z",
  ends_at: "2026-09-01T00:00:00+02:00",
  trigger: "earn",
  schedule: { days_of_week: [5, 6], from_time: "18:00", to_time: "02:00", timezone: "utc" },
  conditions: { min_purchase_minor: 2_000 },
  reward: { multiplier_bps: 20_000 },
  limits: { budget_points: 1_000_000, max_points_per_member: 5_000, max_awards_per_member: 10 },
  control_group_bps: 1_000,
  priority: 5,
};

/**
 * A tiered program (blue, silver, gold) owned by a new partner, with a member M on a static segment, a campaign, a
 * partner with an agreement in the program (the grocer), and another program with its own segment and campaign (the
 * stranger's). Helpers call the promotion and campaign routes (as the owner unless told) and read
 * `programs.promotions_version`.
 */
export async function promotedProgram(gw: Gateway, target: Target) {
  const program = await tieredProgram(gw);
  const { owner, programId } = program;
  await program.enrol("M");
  const segmentOf = async (id: string, as: Credential, name: string) =>
    expectBody(
      await gw.call("POST", `/v1/programs/${id}/segments`, { as, body: { name, type: "static" } }),
      op.createSegment,
      201,
    );
  const list = await segmentOf(programId, owner, "Lapsed flyers");
  expectBody(
    await gw.call("POST", `/v1/segments/${list.id}/members`, { as: owner, body: { external_ids: ["M"] } }),
    op.addSegmentMembers,
    200,
  );
  const grocer = await onboardPartner(gw);
  await addAgreement(gw, programId, grocer.id);
  const stranger = await tieredProgram(gw);
  const strangerSegment = await segmentOf(stranger.programId, stranger.owner, "Theirs");
  const campaignOf = async (id: string, as: Credential) =>
    expectBody(
      await gw.call("POST", `/v1/programs/${id}/campaigns`, { as, body: { name: "Summer", status: "planned" } }),
      op.createCampaign,
      201,
    );
  const campaign = await campaignOf(programId, owner);
  const strangerCampaign = await campaignOf(stranger.programId, stranger.owner);

  const promotions = `/v1/programs/${programId}/promotions`;
  const create = (body: unknown, as: Credential = owner) => gw.call("POST", promotions, { as, body });
  /** Creates `earnDefinition` with `changes`, expecting it created. */
  const created = async (changes: Record<string, unknown> = {}) =>
    expectBody(await create({ ...earnDefinition, ...changes }), op.createPromotion, 201);
  const patch = (id: string, body: unknown, as: Credential = owner) =>
    gw.call("PATCH", `/v1/promotions/${id}`, { as, body });
  const patched = async (id: string, body: unknown) => expectBody(await patch(id, body), op.updatePromotion, 200);
  const get = (id: string, as: Credential = owner) => gw.call("GET", `/v1/promotions/${id}`, { as });
  const listed = (query = "", as: Credential = owner) => gw.call("GET", `${promotions}${query}`, { as });
  /** The ids a list answers, in its order. */
  const ids = async (query = "", as: Credential = owner) =>
    expectBody(await listed(query, as), op.listPromotions, 200).data.map((promotion) => promotion.id);
  const version = async () =>
    (await target.rows<{ v: number }>("select promotions_version as v from programs where id = ?", programId))[0]?.v;
  /** Everything a refused write must leave as it was: every promotion as the owner reads it, and the version. */
  const snapshot = async () => ({
    promotions: expectBody(await listed("?limit=100"), op.listPromotions, 200).data,
    version: await version(),
  });
  return {
    ...program,
    list,
    grocer,
    stranger,
    strangerSegment,
    campaign,
    strangerCampaign,
    create,
    created,
    patch,
    patched,
    get,
    listed,
    ids,
    version,
    snapshot,
  };
}

export type PromotedProgram = Awaited<ReturnType<typeof promotedProgram>>;

/** The paths of a 400 `validation_failed`, each once and sorted (the order of problems is no part of the contract). */
export const problemPaths = (answer: Answer) =>
  [...new Set(((answer.body as { errors?: { path: string }[] }).errors ?? []).map((error) => error.path))].sort();
