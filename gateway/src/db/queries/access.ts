/**
 * What a partner may do in a program, read on every hot route (earn, burn, balance): plain SQL, its text built
 * once at start-up from the schema, so each call is one cached prepared statement and one round trip. Every
 * column read costs time on this path, and so does the length of its name (the native driver makes a key of
 * it per row): only the columns the domain uses are read, under one-letter prefixes.
 */
import { first, type SqlReader } from "../reader";
import { type accounts, agreements, members, programs, programVelocityRules } from "../schema";
import { type Nullable, projection, type RowOf, type SqlRow } from "./rows";

const program = projection(programs);
// The agreement's program and partner are the program read and the partner asked about.
const agreement = projection(agreements, { prefix: "a_", omit: ["programId", "partnerId"] });
const member = projection(members, { prefix: "m_", omit: ["programId"] });
const velocityRules = projection(programVelocityRules, {
  prefix: "v_",
  omit: ["programId", "earnAction", "updatedAt"],
});

type AccessRow = RowOf<typeof program> & RowOf<typeof agreement>;

type MemberAccessRow = AccessRow &
  Nullable<RowOf<typeof member>> &
  Nullable<RowOf<typeof velocityRules>> & {
    available: SqlRow<typeof accounts>["balance"] | null;
    pending: SqlRow<typeof accounts>["balance"] | null;
  };

const accessColumns = `${program.select("p")}, ${agreement.select("a")}`;

/** The program and the partner's agreement in force at a time: the latest `valid_from` not after it. */
const accessQuery = `
  select ${accessColumns}
  from programs p join agreements a on a.program_id = p.id and a.partner_id = ?
  where p.id = ? and a.valid_from <= ?
  order by a.valid_from desc, a.id desc
  limit 1`;

/** The same, with the member (by `external_id`), its two balances and the program's velocity rules. */
const memberAccessQuery = `
  select ${accessColumns}, ${member.select("m")}, ${velocityRules.select("v")},
         ma.balance as available, mh.balance as pending
  from programs p join agreements a on a.program_id = p.id and a.partner_id = ?
  left join program_velocity_rules v on v.program_id = p.id
  left join members m on m.program_id = p.id and m.external_id = ?
  left join accounts ma on ma.id = m.id
  left join accounts mh on mh.id = m.id || ':hold'
  where p.id = ? and a.valid_from <= ?
  order by a.valid_from desc, a.id desc
  limit 1`;

function toAccess(row: AccessRow, partnerId: string) {
  const found = program.map(row);
  return { program: found, agreement: { ...agreement.map(row), programId: found.id, partnerId } };
}

/** A program with the partner's agreement in force at `at`; undefined without one. */
export async function findProgramAccess(reader: SqlReader, programId: string, partnerId: string, at: Date) {
  const row = await first<AccessRow>(reader, accessQuery, [partnerId, programId, at.getTime()]);
  return row && toAccess(row, partnerId);
}

/**
 * `findProgramAccess` plus the member with `externalId` (undefined when there is none), its available and
 * pending balances, and the program's velocity rules (undefined when never set).
 */
export async function findMemberAccess(
  reader: SqlReader,
  programId: string,
  externalId: string,
  partnerId: string,
  at: Date,
) {
  const row = await first<MemberAccessRow>(reader, memberAccessQuery, [partnerId, externalId, programId, at.getTime()]);
  if (!row) return undefined;
  const found = member.mapJoined(row);
  return {
    ...toAccess(row, partnerId),
    member: found && { ...found, programId },
    available: row.available ?? 0,
    pending: row.pending ?? 0,
    velocityRules: velocityRules.mapJoined(row),
  };
}
