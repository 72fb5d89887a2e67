import type { Db } from "../db/client";
import { insertPlacement } from "../db/queries/program-placements";
import {
  findProgramById,
  hasAgreement,
  insertAgreement,
  insertProgram,
  type ProgramSettings,
  updateProgramSettings,
} from "../db/queries/programs";
import type { agreements, programs } from "../db/schema";
import { mainDatabase } from "../db/shards/router";
import type { Deps } from "../deps";
import { ApiError } from "../errors";
import { findPartner } from "./partners";

export type Program = typeof programs.$inferSelect;
export type Agreement = typeof agreements.$inferSelect;
/** A program's tier settings and promotions version, which only its tier table and promotions change. */
type TierColumns = "tierWindowDays" | "tierTableVersion" | "tiersUpdatedAt" | "promotionsVersion";

/**
 * Creates a program and its owner's agreement (earn and burn, at the published prices) in one write. In a sharded
 * deployment the same write places it on `database` (default main: docs/scale-out.md, section 4); with one database
 * only main, or none, may be named, and nothing is placed.
 */
export async function createProgram(
  deps: Pick<Deps, "db" | "clock" | "ids" | "shards">,
  input: Omit<Program, "id" | "createdAt" | "timezone" | "status" | TierColumns> &
    Partial<Pick<Program, "timezone">> & { database?: string },
): Promise<Program> {
  const { database = mainDatabase, ...settings } = input;
  const databases = deps.shards?.names() ?? [mainDatabase];
  if (!databases.includes(database))
    throw new ApiError("unknown_database", `No database named ${JSON.stringify(database)}.`, {
      errors: [{ path: "database", message: `must be one of ${databases.join(", ")}` }],
    });
  await findPartner(deps.db, input.partnerId);
  const now = deps.clock.now();
  const program: Program = {
    timezone: "UTC",
    ...settings,
    status: "active",
    tierWindowDays: null,
    tierTableVersion: 0,
    tiersUpdatedAt: null,
    promotionsVersion: 0,
    id: deps.ids("prg"),
    createdAt: now,
  };
  await deps.db.batch([
    insertProgram(deps.db, program),
    insertAgreement(deps.db, {
      id: deps.ids("agr"),
      programId: program.id,
      partnerId: program.partnerId,
      canEarn: true,
      canBurn: true,
      issuePriceMicros: program.issuePriceMicros,
      redeemPriceMicros: program.redeemPriceMicros,
      earnPoints: 1,
      earnPerAmountMinor: 100,
      validFrom: now,
      createdAt: now,
    }),
    ...(deps.shards ? [insertPlacement(deps.db, program.id, database, now)] : []),
  ]);
  return program;
}

export async function findProgram(db: Db, id: string): Promise<Program> {
  const program = await findProgramById(db, id);
  if (!program) throw new ApiError("not_found", `No program ${id}.`);
  return program;
}

/**
 * The program as a partner may see it: only with an agreement in force (past or scheduled). Anything else
 * answers 404, so a partner cannot even learn which program ids exist.
 */
export async function findProgramForPartner(db: Db, id: string, partnerId: string): Promise<Program> {
  const program = await findProgramById(db, id);
  if (!program || !(await hasAgreement(db, id, partnerId))) throw new ApiError("not_found", `No program ${id}.`);
  return program;
}

/** Who calls: a partner (by its id) or the operator (`partnerId` null). */
export type Caller = { partnerId: string | null };

/**
 * The program `caller` may configure (scope `programs:manage`): the operator every program, a partner only the
 * programs it owns. A partner without an agreement gets 404, as if the program did not exist; one with an
 * agreement (it can read the program anyway) gets 403. Every program-management operation starts here.
 */
export async function managedProgram(deps: Pick<Deps, "db">, caller: Caller, programId: string): Promise<Program> {
  const program = await findProgramById(deps.db, programId);
  if (program && (caller.partnerId === null || program.partnerId === caller.partnerId)) return program;
  if (program && caller.partnerId !== null && (await hasAgreement(deps.db, programId, caller.partnerId)))
    throw new ApiError("forbidden", `Only the partner that owns program ${programId} may configure it.`);
  throw new ApiError("not_found", `No program ${programId}.`);
}

/**
 * The canonical IANA name of a time zone ("utc" is "UTC"), or undefined when the runtime knows no such zone.
 * Only names: offsets such as "+05:00", which Intl also takes, have no daylight rules and are refused.
 */
export function canonicalTimeZone(timezone: string): string | undefined {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(timezone)) return undefined;
  try {
    return new Intl.DateTimeFormat("en", { timeZone: timezone }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/**
 * Changes a program's settings (name, timezone, expiry, status) for its owner or the operator, and answers it as
 * it is now. A new expiry applies to points earned from now; null stops expiry (no lot expires while it is null;
 * earlier lots keep their dates, so they expire if expiry is turned on again). Closing a program stops new members and new points (409 `invalid_state`); members may still spend
 * and convert out what they hold, and reversals and expiry go on. Reopening it (`active`) undoes that.
 */
export async function updateProgram(
  deps: Pick<Deps, "db">,
  caller: Caller,
  programId: string,
  settings: ProgramSettings,
): Promise<Program> {
  await managedProgram(deps, caller, programId);
  const given = Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined));
  const program = await updateProgramSettings(deps.db, programId, given);
  if (!program) throw new ApiError("not_found", `No program ${programId}.`);
  return program;
}

/** A closed program takes no new members and no new points (earn, conversions into it): 409 `invalid_state`. */
export function ensureOpen(program: Pick<Program, "id" | "status">): void {
  if (program.status === "closed")
    throw new ApiError("invalid_state", `Program ${program.id} is closed: it takes no new members or points.`);
}

/** Adds an agreement version; it supersedes the partner's previous one from `validFrom`. */
export async function createAgreement(
  deps: Pick<Deps, "db" | "clock" | "ids">,
  input: Omit<Agreement, "id" | "createdAt" | "validFrom"> & { validFrom?: Date },
): Promise<Agreement> {
  await findProgram(deps.db, input.programId);
  await findPartner(deps.db, input.partnerId);
  const now = deps.clock.now();
  const validFrom = input.validFrom ?? now;
  // Prices of past movements are settled with the agreement then in force; back-dating would rewrite them.
  if (validFrom.getTime() < now.getTime() - 60_000)
    throw new ApiError("validation_failed", "valid_from cannot be in the past.", {
      errors: [{ path: "valid_from", message: "must be now or later" }],
    });
  const agreement: Agreement = { ...input, id: deps.ids("agr"), validFrom, createdAt: now };
  await insertAgreement(deps.db, agreement);
  return agreement;
}
