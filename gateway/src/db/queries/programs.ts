import { and, desc, eq, inArray } from "drizzle-orm";
import type { Db } from "../client";
import { agreements, programs } from "../schema";
import { both, type PageQuery, pageBy } from "./pages";

type Program = typeof programs.$inferSelect;
type Agreement = typeof agreements.$inferSelect;

/** Inserts a program; not awaited, it goes into the `db.batch` with its owner's agreement. */
export const insertProgram = (db: Db, program: Program) => db.insert(programs).values(program);

/** Inserts an agreement version; not awaited, so it can go into a `db.batch`. */
export const insertAgreement = (db: Db, agreement: Agreement) => db.insert(agreements).values(agreement);

/** The settings a program's owner or the operator may change (PATCH /v1/programs/{id}). */
export type ProgramSettings = Partial<Pick<Program, "name" | "timezone" | "pointsExpireAfterDays" | "status">>;

/** Changes a program's settings and answers the program as it is now (undefined if there is none). */
export async function updateProgramSettings(
  db: Db,
  id: string,
  settings: ProgramSettings,
): Promise<Program | undefined> {
  if (Object.keys(settings).length === 0) return findProgramById(db, id);
  return db.update(programs).set(settings).where(eq(programs.id, id)).returning().get();
}

export async function findProgramById(db: Db, id: string): Promise<Program | undefined> {
  return db.select().from(programs).where(eq(programs.id, id)).get();
}

/** Whether the partner has any agreement in the program: in force, superseded or scheduled. */
export async function hasAgreement(db: Db, programId: string, partnerId: string): Promise<boolean> {
  const row = await db
    .select({ id: agreements.id })
    .from(agreements)
    .where(and(eq(agreements.programId, programId), eq(agreements.partnerId, partnerId)))
    .get();
  return row !== undefined;
}

/** Every agreement version of a program, newest `valid_from` first. */
export async function listProgramAgreements(db: Db, programId: string): Promise<Agreement[]> {
  return db
    .select()
    .from(agreements)
    .where(eq(agreements.programId, programId))
    .orderBy(desc(agreements.validFrom), desc(agreements.id));
}

/** A page of programs, newest first: every program, or with `partnerId` those it has an agreement in. */
export async function listProgramsPage(db: Db, query: PageQuery, partnerId?: string | null) {
  const page = pageBy(programs.id, query);
  const visible = partnerId
    ? inArray(
        programs.id,
        db.selectDistinct({ id: agreements.programId }).from(agreements).where(eq(agreements.partnerId, partnerId)),
      )
    : undefined;
  const rows = await db
    .select()
    .from(programs)
    .where(both(visible, page.where))
    .orderBy(page.orderBy)
    .limit(page.fetch);
  return page.page(rows);
}
