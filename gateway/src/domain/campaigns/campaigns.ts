import {
  findCampaignSegments,
  insertCampaignStatement,
  listCampaignsPage,
  replaceCampaignSegmentsStatements,
  updateCampaignStatement,
} from "../../db/queries/campaigns";
import type { PageQuery } from "../../db/queries/pages";
import { findProgramSegmentIds } from "../../db/queries/promotions";
import type { Deps } from "../../deps";
import type { FieldError } from "../../errors";
import { type Caller, managedProgram, type Program } from "../programs";
import { refuseProblems } from "../promotions/validate";
import { type CampaignRow, managedCampaign } from "./owned";
import type { Campaign } from "./present";

type CampaignDeps = Pick<Deps, "db" | "writer" | "clock" | "ids">;

/** What a campaign's owner writes: the plan, and the segments it targets (`segmentIds`, the whole list). */
export type CampaignInput = Omit<CampaignRow, "id" | "programId" | "createdAt" | "updatedAt"> & {
  segmentIds: string[];
};

/** Every problem of a campaign as it will be: each end after its start, its segments the program's, each once. */
async function checkCampaign(
  deps: Pick<Deps, "db">,
  program: Program,
  campaign: Omit<CampaignInput, "segmentIds">,
  segmentIds: readonly string[] | undefined,
): Promise<void> {
  const problems: FieldError[] = [];
  const ordered = (start: Date | null, end: Date | null, path: string, from: string) => {
    if (start && end && end.getTime() < start.getTime())
      problems.push({ path, message: `is before ${from} (${start.toISOString()})` });
  };
  ordered(campaign.plannedStart, campaign.plannedEnd, "planned_end", "planned_start");
  ordered(campaign.actualStart, campaign.actualEnd, "actual_end", "actual_start");
  const known = await findProgramSegmentIds(deps.db, program.id, segmentIds ?? []);
  (segmentIds ?? []).forEach((id, i) => {
    if (!known.has(id))
      problems.push({ path: `segment_ids[${i}]`, message: `${id} is not a segment of ${program.id}` });
    else if (segmentIds?.indexOf(id) !== i) problems.push({ path: `segment_ids[${i}]`, message: `repeats ${id}` });
  });
  refuseProblems(problems, "The campaign");
}

async function withSegments(deps: Pick<Deps, "db">, rows: CampaignRow[]): Promise<Campaign[]> {
  const segments = await findCampaignSegments(
    deps.db,
    rows.map((row) => row.id),
  );
  return rows.map((row) => ({ ...row, segments: segments.get(row.id) ?? [] }));
}

/** Creates a campaign of a program (its owner or the operator) with the segments it targets. */
export async function createCampaign(
  deps: CampaignDeps,
  caller: Caller,
  programId: string,
  input: CampaignInput,
): Promise<Campaign> {
  const program = await managedProgram(deps, caller, programId);
  const { segmentIds, ...fields } = input;
  await checkCampaign(deps, program, fields, segmentIds);
  const now = deps.clock.now();
  const row: CampaignRow = { ...fields, id: deps.ids("cmp"), programId: program.id, createdAt: now, updatedAt: now };
  await deps.writer.write([
    insertCampaignStatement(deps.db, row),
    ...replaceCampaignSegmentsStatements(deps.db, row.id, segmentIds),
  ]);
  return getCampaign(deps, caller, row.id);
}

/** Changes a campaign: the fields given (null clears one), and its segments when `segmentIds` is given. */
export async function updateCampaign(
  deps: CampaignDeps,
  caller: Caller,
  id: string,
  patch: Partial<CampaignInput>,
): Promise<Campaign> {
  const { campaign, program } = await managedCampaign(deps, caller, id);
  const { segmentIds, ...fields } = patch;
  await checkCampaign(deps, program, { ...campaign, ...fields }, segmentIds);
  await deps.writer.write([
    updateCampaignStatement(deps.db, id, { ...fields, updatedAt: deps.clock.now() }),
    ...(segmentIds ? replaceCampaignSegmentsStatements(deps.db, id, segmentIds) : []),
  ]);
  return getCampaign(deps, caller, id);
}

/** A campaign with its segments, for its program's owner and the operator. */
export async function getCampaign(deps: Pick<Deps, "db">, caller: Caller, id: string): Promise<Campaign> {
  const { campaign } = await managedCampaign(deps, caller, id);
  const segments = await findCampaignSegments(deps.db, [campaign.id]);
  return { ...campaign, segments: segments.get(campaign.id) ?? [] };
}

/** A page of a program's campaigns, newest first, each with its segments. */
export async function listCampaigns(deps: Pick<Deps, "db">, caller: Caller, programId: string, query: PageQuery) {
  const program = await managedProgram(deps, caller, programId);
  const page = await listCampaignsPage(deps.db, program.id, query);
  return { ...page, data: await withSegments(deps, page.data) };
}
