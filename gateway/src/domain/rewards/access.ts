import { findRewardById } from "../../db/queries/rewards";
import type { Deps } from "../../deps";
import { ApiError } from "../../errors";
import { type Caller, findProgram, findProgramForPartner, managedProgram, type Program } from "../programs";
import { type Reward, rewardOf } from "./reward";

/**
 * Who reaches a program's catalogue. Its owner and the operator manage it (`programs:manage`); every partner with
 * an agreement in the program reads all of it (it redeems there, so it may show members what they can have); any
 * other partner gets 404, as if it did not exist. A partner with an agreement that changes a reward gets 403.
 */

const notFound = (id: string) => new ApiError("not_found", `No reward ${id}.`);

/** The program whose catalogue `caller` may read: the operator any, a partner one it has an agreement in (else 404). */
export async function readableProgram(deps: Pick<Deps, "db">, caller: Caller, programId: string): Promise<Program> {
  return caller.partnerId === null
    ? findProgram(deps.db, programId)
    : findProgramForPartner(deps.db, programId, caller.partnerId);
}

/** The reward with its program as `reach` finds it for `caller`; a program it may not reach hides the reward (404). */
async function reached(
  deps: Pick<Deps, "db">,
  id: string,
  reach: (programId: string) => Promise<Program>,
): Promise<{ reward: Reward; program: Program }> {
  const row = await findRewardById(deps.db, id);
  if (!row) throw notFound(id);
  const reward = rewardOf(row);
  try {
    return { reward, program: await reach(reward.programId) };
  } catch (error) {
    throw error instanceof ApiError && error.code === "not_found" ? notFound(id) : error;
  }
}

/** The reward as `caller` may read it, with its program. */
export const readableReward = (deps: Pick<Deps, "db">, caller: Caller, id: string) =>
  reached(deps, id, (programId) => readableProgram(deps, caller, programId));

/** The reward as its program's owner or the operator may change it: 403 for a partner that can only read it. */
export const managedReward = (deps: Pick<Deps, "db">, caller: Caller, id: string) =>
  reached(deps, id, async (programId) => {
    try {
      return await managedProgram(deps, caller, programId);
    } catch (error) {
      if (error instanceof ApiError && error.code === "forbidden")
        throw new ApiError("forbidden", `Only the partner that owns program ${programId} may change its rewards.`);
      throw error;
    }
  });
