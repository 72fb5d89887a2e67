import { first, type SqlReader } from "../reader";
import { type accounts, agreements, members, programs, programVelocityRules } from "../schema";
import { fromJoinedRow, fromSqlRow, type Nullable, type Prefixed, type SqlRow, selectList } from "./rows";

type AccessRow = SqlRow<typeof programs> & Prefixed<SqlRow<typeof agreements>, "agreement_">;

type MemberAccessRow = AccessRow &
  Nullable<Prefixed<SqlRow<typeof members>, "member_">> &
  Nullable<Prefixed<SqlRow<typeof programVelocityRules>, "rules_">> & {
    available: SqlRow<typeof accounts>["balance"] | null;
    pending: SqlRow<typeof accounts>["balance"] | null;
  };

const programColumns = `${selectList(programs, "p")}, ${selectList(agreements, "a", "agreement_")}`;

// Plain SQL built once: the hot routes (earn, burn, balance) read all they need before writing in one round trip.
/** The program and the partner's agreement in force at a time: the latest `valid_from` not after it. */
const accessQuery = `
  select ${programColumns}
  from programs p join agreements a on a.program_id = p.id and a.partner_id = ?
  where p.id = ? and a.valid_from <= ?
  order by a.valid_from desc, a.id desc
  limit 1`;

/** The same, with the member (by `external_id`), its two balances and the program's velocity rules. */
const memberAccessQuery = `
  select ${programColumns}, ${selectList(members, "m", "member_")}, ${selectList(programVelocityRules, "v", "rules_")},
         ma.balance as available, mh.balance as pending
  from programs p join agreements a on a.program_id = p.id and a.partner_id = ?
  left join program_velocity_rules v on v.program_id = p.id
  left join members m on m.program_id = p.id and m.external_id = ?
  left join accounts ma on ma.id = m.id
  left join accounts mh on mh.id = m.id || ':hold'
  where p.id = ? and a.valid_from <= ?
  order by a.valid_from desc, a.id desc
  limit 1`;

const toAccess = (row: AccessRow) => ({
  program: fromSqlRow(programs, row),
  agreement: fromSqlRow(agreements, row, "agreement_"),
});

/** A program with the partner's agreement in force at `at`; undefined without one. */
export async function findProgramAccess(reader: SqlReader, programId: string, partnerId: string, at: Date) {
  const row = await first<AccessRow>(reader, accessQuery, [partnerId, programId, at.getTime()]);
  return row && toAccess(row);
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
  return (
    row && {
      ...toAccess(row),
      member: fromJoinedRow(members, row, "member_"),
      available: row.available ?? 0,
      pending: row.pending ?? 0,
      velocityRules: fromJoinedRow(programVelocityRules, row, "rules_"),
    }
  );
}
