import { findPromotionById } from "../../db/queries/promotions";
import type { Deps } from "../../deps";
import { ApiError } from "../../errors";
import { type Caller, findProgram, findProgramForPartner, managedProgram, type Program } from "../programs";
import { type Promotion, promotionOf } from "./definition";

/**
 * Who reaches a promotion. Its program's owner and the operator manage it (any status); a partner with an agreement
 * in the program reads its active promotions (it earns there, so it may tell members what applies) and nothing
 * else; every other partner gets 404, as if it did not exist.
 */

export type OwnedPromotion = { promotion: Promotion; program: Program };

const notFound = (id: string) => new ApiError("not_found", `No promotion ${id}.`);

async function found(deps: Pick<Deps, "db">, id: string): Promise<Promotion> {
  const row = await findPromotionById(deps.db, id);
  if (!row) throw notFound(id);
  return promotionOf(row);
}

/**
 * The promotion as its owner or the operator may change it. A partner with an agreement gets 403 for an active one
 * (it can read that one) and 404 for any other, which it cannot know exists; everyone else 404.
 */
export async function managedPromotion(deps: Pick<Deps, "db">, caller: Caller, id: string): Promise<OwnedPromotion> {
  const promotion = await found(deps, id);
  try {
    return { promotion, program: await managedProgram(deps, caller, promotion.programId) };
  } catch (error) {
    if (error instanceof ApiError && error.code === "forbidden" && promotion.status === "active")
      throw new ApiError(
        "forbidden",
        `Only the partner that owns program ${promotion.programId} may change its promotions.`,
      );
    if (error instanceof ApiError && (error.code === "not_found" || error.code === "forbidden")) throw notFound(id);
    throw error;
  }
}

/** Whether `caller` owns the program or is the operator. */
const manages = (caller: Caller, program: Pick<Program, "partnerId">) =>
  caller.partnerId === null || caller.partnerId === program.partnerId;

/** The promotion as `caller` may read it: any for the owner and the operator, an active one for agreement partners. */
export async function readablePromotion(deps: Pick<Deps, "db">, caller: Caller, id: string): Promise<OwnedPromotion> {
  const promotion = await found(deps, id);
  if (caller.partnerId === null) return { promotion, program: await findProgram(deps.db, promotion.programId) };
  let program: Program;
  try {
    program = await findProgramForPartner(deps.db, promotion.programId, caller.partnerId);
  } catch (error) {
    throw error instanceof ApiError && error.code === "not_found" ? notFound(id) : error;
  }
  if (!manages(caller, program) && promotion.status !== "active") throw notFound(id);
  return { promotion, program };
}

/**
 * The program whose promotions `caller` may list, and whether it sees only the active ones (a partner with an
 * agreement that does not own it). 404 for a program the caller has no agreement in.
 */
export async function readablePromotionsOf(
  deps: Pick<Deps, "db">,
  caller: Caller,
  programId: string,
): Promise<{ program: Program; activeOnly: boolean }> {
  if (caller.partnerId === null) return { program: await findProgram(deps.db, programId), activeOnly: false };
  const program = await findProgramForPartner(deps.db, programId, caller.partnerId);
  return { program, activeOnly: !manages(caller, program) };
}
