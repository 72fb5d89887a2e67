import type { PageQuery } from "../../db/queries/pages";
import { refusalOf } from "../../db/queries/refusals";
import {
  findRewardWithStock,
  fulfilmentKeptWhileOrdersOpen,
  insertRewardStatement,
  isSkuTaken,
  listRewardsPage,
  type RewardFilters,
  type RewardWithStock,
  updateRewardStatement,
} from "../../db/queries/rewards";
import { ConstraintViolation, type Statement } from "../../db/writer";
import type { Deps } from "../../deps";
import { ApiError } from "../../errors";
import { type Caller, managedProgram } from "../programs";
import { refuseProblems } from "../promotions/validate";
import { managedReward, readableProgram, readableReward } from "./access";
import { type Reward, rewardOf, rowOf } from "./reward";
import { catalogueFacts, type RewardInput, type RewardPatch, rewardProblems } from "./validate";

type CatalogueDeps = Pick<Deps, "db" | "reader" | "writer" | "clock" | "ids">;

/** A reward with its stock as orders see it: `available` is `stock`, or a `code` reward's available codes. */
export type CatalogueReward = Reward & { available: number | null };

const catalogueReward = ({ reward, available }: RewardWithStock): CatalogueReward => ({
  ...rewardOf(reward),
  available,
});

/** Writes catalogue statements; a sku the program has already (another reward's) answers 409 `conflict`. */
export async function writeCatalogue(
  deps: Pick<Deps, "writer">,
  statements: Statement[],
  conflict: () => string,
): Promise<void> {
  try {
    await deps.writer.write(statements);
  } catch (error) {
    if (error instanceof ConstraintViolation && isSkuTaken(error))
      throw new ApiError("conflict", conflict(), {
        errors: [{ path: "sku", message: "is taken by another reward of the program" }],
      });
    if (error instanceof ConstraintViolation && refusalOf(error) === "invalid_state")
      throw new ApiError(
        "invalid_state",
        "A reward's fulfilment cannot change while orders of it are held or pending: fulfil or cancel them first.",
        { errors: [{ path: "fulfilment", message: "cannot change while orders are held or pending" }] },
      );
    throw error;
  }
}

const skuTaken = (sku: string) => () => `The program already has a reward with sku ${sku}.`;

async function withStock(deps: Pick<Deps, "reader">, id: string): Promise<CatalogueReward> {
  const found = await findRewardWithStock(deps.reader, id);
  if (!found) throw new ApiError("not_found", `No reward ${id}.`);
  return catalogueReward(found);
}

/**
 * Adds a reward to a program's catalogue (its owner or the operator), checked whole (400 at each path, nothing
 * written). The sku is unique per program: the unique index decides inside the write (409 `conflict`).
 */
export async function createReward(
  deps: CatalogueDeps,
  caller: Caller,
  programId: string,
  input: RewardInput,
): Promise<CatalogueReward> {
  const program = await managedProgram(deps, caller, programId);
  const facts = await catalogueFacts(deps, program, [input.fulfillingPartnerId]);
  refuseProblems(rewardProblems(facts, input, input), "The reward");
  const now = deps.clock.now();
  const reward: Reward = { ...input, id: deps.ids("rwd"), programId: program.id, createdAt: now, updatedAt: now };
  await writeCatalogue(deps, [insertRewardStatement(deps.db, rowOf(reward))], skuTaken(input.sku));
  return withStock(deps, reward.id);
}

/** The columns a patch changes, as stored. */
export function changedColumns(patch: RewardPatch) {
  const { tiers, translations, ...plain } = patch;
  return {
    ...plain,
    ...(tiers !== undefined ? { tiers: tiers === null ? null : JSON.stringify(tiers) } : {}),
    ...(translations !== undefined ? { translations: JSON.stringify(translations) } : {}),
  };
}

/**
 * Changes the fields given (null clears an optional one), checked as the reward will be. A new sku keeps the
 * program's skus unique (409). Setting `stock` sets what is left to redeem now; a `code` reward has none to set.
 */
export async function updateReward(
  deps: CatalogueDeps,
  caller: Caller,
  id: string,
  patch: RewardPatch,
): Promise<CatalogueReward> {
  const { reward, program } = await managedReward(deps, caller, id);
  const facts = await catalogueFacts(deps, program, [patch.fulfillingPartnerId]);
  refuseProblems(rewardProblems(facts, { ...reward, ...patch }, patch), "The reward");
  const changes = { ...changedColumns(patch), updatedAt: deps.clock.now() };
  await writeCatalogue(
    deps,
    [
      ...(patch.fulfilment ? [fulfilmentKeptWhileOrdersOpen(id, patch.fulfilment)] : []),
      updateRewardStatement(deps.db, program.id, id, changes),
    ],
    skuTaken(patch.sku ?? reward.sku),
  );
  return withStock(deps, id);
}

/** A reward with its stock, for the program's owner, the operator and partners with an agreement in the program. */
export async function getReward(deps: Pick<Deps, "db" | "reader">, caller: Caller, id: string) {
  const { reward } = await readableReward(deps, caller, id);
  return withStock(deps, reward.id);
}

/** A page of a program's rewards, newest first, narrowed by `filters`, for the readers of its catalogue. */
export async function listRewards(
  deps: Pick<Deps, "db">,
  caller: Caller,
  programId: string,
  filters: RewardFilters,
  query: PageQuery,
) {
  const program = await readableProgram(deps, caller, programId);
  const page = await listRewardsPage(deps.db, program.id, filters, query);
  return { ...page, data: page.data.map(catalogueReward) };
}
