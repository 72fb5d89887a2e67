import { asc, eq, inArray } from "drizzle-orm";
import type { Db } from "../client";
import { campaignSegments, campaigns, segments } from "../schema";
import { type Statement, toStatement } from "../writer";
import { both, type PageQuery, pageBy } from "./pages";

type CampaignRow = typeof campaigns.$inferSelect;

/** A segment a campaign targets, as its answers show it (member_count as last counted). */
export type CampaignSegment = { id: string; name: string; memberCount: number };

export const insertCampaignStatement = (db: Db, campaign: CampaignRow): Statement =>
  toStatement(db.insert(campaigns).values(campaign));

export const updateCampaignStatement = (
  db: Db,
  id: string,
  changes: Partial<Omit<CampaignRow, "id" | "programId" | "createdAt">>,
): Statement => toStatement(db.update(campaigns).set(changes).where(eq(campaigns.id, id)));

/** Replaces a campaign's segments with `segmentIds`, in their order (the whole list: none clears it). */
export const replaceCampaignSegmentsStatements = (db: Db, campaignId: string, segmentIds: readonly string[]) => [
  toStatement(db.delete(campaignSegments).where(eq(campaignSegments.campaignId, campaignId))),
  ...(segmentIds.length === 0
    ? []
    : [
        toStatement(
          db
            .insert(campaignSegments)
            .values(segmentIds.map((segmentId, position) => ({ campaignId, segmentId, position }))),
        ),
      ]),
];

export async function findCampaignById(db: Db, id: string): Promise<CampaignRow | undefined> {
  return db.select().from(campaigns).where(eq(campaigns.id, id)).get();
}

/** A page of a program's campaigns, newest first. */
export async function listCampaignsPage(db: Db, programId: string, query: PageQuery) {
  const page = pageBy(campaigns.id, query);
  const rows = await db
    .select()
    .from(campaigns)
    .where(both(eq(campaigns.programId, programId), page.where))
    .orderBy(page.orderBy)
    .limit(page.fetch);
  return page.page(rows);
}

/** The segments of each of `campaignIds` (a page's worth, at most 100), in the order they were given. */
export async function findCampaignSegments(
  db: Db,
  campaignIds: readonly string[],
): Promise<Map<string, CampaignSegment[]>> {
  const byCampaign = new Map<string, CampaignSegment[]>(campaignIds.map((id) => [id, []]));
  if (campaignIds.length === 0) return byCampaign;
  const rows = await db
    .select({
      campaignId: campaignSegments.campaignId,
      id: segments.id,
      name: segments.name,
      memberCount: segments.memberCount,
    })
    .from(campaignSegments)
    .innerJoin(segments, eq(segments.id, campaignSegments.segmentId))
    .where(inArray(campaignSegments.campaignId, [...campaignIds]))
    .orderBy(asc(campaignSegments.campaignId), asc(campaignSegments.position));
  for (const { campaignId, ...segment } of rows) byCampaign.get(campaignId)?.push(segment);
  return byCampaign;
}

/** The campaigns that target segment `segmentId`, oldest first. */
export async function findCampaignsTargeting(db: Db, segmentId: string): Promise<Pick<CampaignRow, "id" | "name">[]> {
  return db
    .select({ id: campaigns.id, name: campaigns.name })
    .from(campaignSegments)
    .innerJoin(campaigns, eq(campaigns.id, campaignSegments.campaignId))
    .where(eq(campaignSegments.segmentId, segmentId))
    .orderBy(asc(campaigns.id));
}
