import { refusalOf } from "../../db/queries/refusals";
import { addRewardCodesStatements, type CodePoolLevel, findCodePoolLevels } from "../../db/queries/reward-codes";
import { ConstraintViolation } from "../../db/writer";
import type { Deps } from "../../deps";
import { ApiError } from "../../errors";
import type { Caller } from "../programs";
import { managedReward, readableProgram } from "./access";

/** The most codes one upload adds. */
export const maxCodesPerUpload = 10_000;

const notCode = (id: string) =>
  new ApiError("invalid_state", `Reward ${id} is not fulfilled by codes: only a code reward has a code pool.`);

/**
 * Adds voucher codes to a `code` reward's pool in one atomic write (409 `invalid_state` for other rewards, decided
 * inside the write too). A code already in the pool, whatever its status, or repeated within `codes`, is a
 * duplicate and is not added again: a code is handed out at most once, ever. The new codes are available at once,
 * handed out in the order uploaded.
 */
export async function uploadCodes(
  deps: Pick<Deps, "db" | "writer" | "clock">,
  caller: Caller,
  rewardId: string,
  codes: readonly string[],
): Promise<{ added: number; duplicates: number }> {
  const { reward } = await managedReward(deps, caller, rewardId);
  if (reward.fulfilment !== "code") throw notCode(rewardId);
  let counts: { codes?: unknown }[][];
  try {
    counts = await deps.writer.write(addRewardCodesStatements(reward.id, codes, deps.clock.now()));
  } catch (error) {
    if (error instanceof ConstraintViolation && refusalOf(error) === "invalid_state") throw notCode(rewardId);
    throw error;
  }
  const before = Number(counts[1]?.[0]?.codes ?? 0);
  const after = Number(counts.at(-1)?.[0]?.codes ?? 0);
  return { added: after - before, duplicates: codes.length - (after - before) };
}

/**
 * How full each `code` reward's pool of a program is (available, assigned, void codes), newest reward first: for the
 * portal. For the readers of the catalogue (the owner, the operator, partners with an agreement).
 */
export async function codePoolLevels(
  deps: Pick<Deps, "db" | "reader">,
  caller: Caller,
  programId: string,
): Promise<CodePoolLevel[]> {
  const program = await readableProgram(deps, caller, programId);
  return findCodePoolLevels(deps.reader, program.id);
}
