import { and, eq, getTableColumns, inArray } from "drizzle-orm";
import type { Db } from "../client";
import { agreements, promotions, segments } from "../schema";
import { type Statement, toStatement } from "../writer";
import { assertStatement } from "./assertions";
import { both, type PageQuery, pageBy } from "./pages";

type PromotionRow = typeof promotions.$inferSelect;

/** The columns only the engine's awards change; everything else is the promotion's definition. */
type AwardColumn = "pointsAwarded" | "budgetExhaustedAt";
/** What a PATCH may write: the definition, never what the awards counted. */
export type PromotionChanges = Partial<Omit<PromotionRow, "id" | "programId" | "createdAt" | AwardColumn>>;

/** The CHECK that keeps `points_awarded` within `budget_points`: a PATCH lowering the budget below it trips it too. */
export const withinBudgetConstraint = "promotions_within_budget";

export const insertPromotionStatement = (db: Db, promotion: PromotionRow): Statement =>
  toStatement(db.insert(promotions).values(promotion));

export const updatePromotionStatement = (db: Db, id: string, changes: PromotionChanges): Statement =>
  toStatement(db.update(promotions).set(changes).where(eq(promotions.id, id)));

/**
 * The program's promotions or segments changed: earns planned on the set they read (the engine caches both by this
 * version) are refused and planned again. Goes in the same atomic write as the change.
 */
export const bumpPromotionsVersionStatement = (programId: string): Statement => ({
  sql: "update programs set promotions_version = promotions_version + 1 where id = ?",
  args: [programId],
});

const columnNames = new Map(Object.entries(getTableColumns(promotions)).map(([key, column]) => [key, column.name]));

/**
 * Refuses the write (a `StaleWrite`) unless the promotion still has the values `read` gives (its status and
 * definition as a PATCH read them): the PATCH checked its life cycle and edit rules against them, so a concurrent
 * PATCH makes it plan again. The award columns are never compared: earns change them all the time, and the
 * budget's CHECK guards them.
 */
export function assertPromotionUnchanged(id: string, read: PromotionChanges): Statement {
  const entries = Object.entries(read).filter(([key, value]) => columnNames.has(key) && value !== undefined);
  return assertStatement(
    `exists (select 1 from promotions where id = ? ${entries.map(([key]) => `and ${columnNames.get(key)} is ?`).join(" ")})`,
    [id, ...entries.map(([, value]) => (value instanceof Date ? value.getTime() : (value as string | number | null)))],
  );
}

export async function findPromotionById(db: Db, id: string): Promise<PromotionRow | undefined> {
  return db.select().from(promotions).where(eq(promotions.id, id)).get();
}

/** What a promotions list may be narrowed to; `status` is forced to `active` for partners that only read. */
export type PromotionFilters = {
  status?: PromotionRow["status"];
  trigger?: PromotionRow["trigger"];
  campaignId?: string;
};

/** A page of a program's promotions, newest first, narrowed by `filters`. */
export async function listPromotionsPage(db: Db, programId: string, filters: PromotionFilters, query: PageQuery) {
  const page = pageBy(promotions.id, query);
  const rows = await db
    .select()
    .from(promotions)
    .where(
      both(
        eq(promotions.programId, programId),
        filters.status !== undefined ? eq(promotions.status, filters.status) : undefined,
        filters.trigger !== undefined ? eq(promotions.trigger, filters.trigger) : undefined,
        filters.campaignId !== undefined ? eq(promotions.campaignId, filters.campaignId) : undefined,
        page.where,
      ),
    )
    .orderBy(page.orderBy)
    .limit(page.fetch);
  return page.page(rows);
}

/** Which of `ids` are segments of the program. */
export async function findProgramSegmentIds(db: Db, programId: string, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .select({ id: segments.id })
    .from(segments)
    .where(and(eq(segments.programId, programId), inArray(segments.id, [...ids])));
  return new Set(rows.map((row) => row.id));
}

/** Which of `partnerIds` have an agreement in the program (in force, superseded or scheduled). */
export async function findPartnersWithAgreement(
  db: Db,
  programId: string,
  partnerIds: readonly string[],
): Promise<Set<string>> {
  if (partnerIds.length === 0) return new Set();
  const rows = await db
    .selectDistinct({ partnerId: agreements.partnerId })
    .from(agreements)
    .where(and(eq(agreements.programId, programId), inArray(agreements.partnerId, [...partnerIds])));
  return new Set(rows.map((row) => row.partnerId));
}
