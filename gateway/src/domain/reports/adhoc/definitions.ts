import type { PageQuery } from "../../../db/queries/pages";
import {
  deleteReportDefinitionStatement,
  findReportDefinition,
  insertReportDefinitionStatement,
  listReportDefinitionsPage,
  updateReportDefinitionStatement,
} from "../../../db/queries/report-definitions";
import type { Deps } from "../../../deps";
import { ApiError } from "../../../errors";
import { type Caller, managedProgram, type Program } from "../../programs";
import {
  checkedDefinition,
  type DefinitionFields,
  definitionOf,
  type ReportDefinition,
  storedShape,
} from "./definition";

type DefinitionDeps = Pick<Deps, "db" | "writer" | "clock" | "ids">;

/**
 * The saved report as the caller may manage it: its program's owner (`programs:manage`) or the operator; a partner
 * with an agreement in the program 403, any other 404, as for the program itself.
 */
export async function managedDefinition(
  deps: Pick<Deps, "db">,
  caller: Caller,
  id: string,
): Promise<{ definition: ReportDefinition; program: Program }> {
  const row = await findReportDefinition(deps.db, id);
  if (!row) throw new ApiError("not_found", `No report definition ${id}.`);
  try {
    return { definition: definitionOf(row), program: await managedProgram(deps, caller, row.programId) };
  } catch (error) {
    if (error instanceof ApiError && error.code === "not_found")
      throw new ApiError("not_found", `No report definition ${id}.`);
    throw error;
  }
}

async function found(deps: Pick<Deps, "db">, id: string): Promise<ReportDefinition> {
  const row = await findReportDefinition(deps.db, id);
  if (!row) throw new ApiError("not_found", `No report definition ${id}.`);
  return definitionOf(row);
}

/** Saves an ad-hoc report of a program, checked whole first (400 naming every problem; nothing saved then). */
export async function createReportDefinition(
  deps: DefinitionDeps,
  caller: Caller,
  programId: string,
  input: Omit<DefinitionFields, "filters"> & { filters: unknown },
): Promise<ReportDefinition> {
  const program = await managedProgram(deps, caller, programId);
  const fields = await checkedDefinition(deps, program.id, input);
  const now = deps.clock.now();
  const id = deps.ids("rpt");
  await deps.writer.write([
    insertReportDefinitionStatement({
      id,
      programId: program.id,
      name: fields.name,
      dataset: fields.dataset,
      definition: storedShape(fields),
      createdBy: caller.partnerId ?? "operator",
      createdAt: now,
      updatedAt: now,
    }),
  ]);
  return found(deps, id);
}

/**
 * Changes a saved report: the fields given replace the stored ones (`filters` and `interval` null to drop them), and
 * the result is checked whole, as a new one is (a new dataset needs dimensions and measures it offers).
 */
export async function updateReportDefinition(
  deps: DefinitionDeps,
  caller: Caller,
  id: string,
  changes: Partial<Omit<DefinitionFields, "filters"> & { filters: unknown }>,
): Promise<ReportDefinition> {
  const { definition } = await managedDefinition(deps, caller, id);
  const defined = <T>(value: T | undefined, current: T) => (value === undefined ? current : value);
  const fields = await checkedDefinition(deps, definition.programId, {
    name: defined(changes.name, definition.name),
    dataset: defined(changes.dataset, definition.dataset),
    dimensions: defined(changes.dimensions, definition.dimensions),
    measures: defined(changes.measures, definition.measures),
    filters: defined(changes.filters, definition.filters),
    interval: defined(changes.interval, definition.interval),
  });
  await deps.writer.write([
    updateReportDefinitionStatement(id, {
      name: fields.name,
      dataset: fields.dataset,
      definition: storedShape(fields),
      updatedAt: deps.clock.now(),
    }),
  ]);
  return found(deps, id);
}

/** Deletes a saved report (nothing else refers to one). */
export async function deleteReportDefinition(deps: DefinitionDeps, caller: Caller, id: string) {
  const { definition } = await managedDefinition(deps, caller, id);
  await deps.writer.write([deleteReportDefinitionStatement(id)]);
  return definition;
}

export async function getReportDefinition(deps: Pick<Deps, "db">, caller: Caller, id: string) {
  return (await managedDefinition(deps, caller, id)).definition;
}

/** A page of a program's saved reports, newest first. */
export async function listReportDefinitions(
  deps: Pick<Deps, "db">,
  caller: Caller,
  programId: string,
  query: PageQuery,
) {
  const program = await managedProgram(deps, caller, programId);
  const page = await listReportDefinitionsPage(deps.db, program.id, query);
  return { ...page, data: page.data.map(definitionOf) };
}
