/**
 * What a partner may do in a program, read on every hot route (earn, burn, balance): plain SQL, its text built
 * once at start-up from the schema, so each call is one cached prepared statement. The program's terms (the
 * program, its velocity rules, the partner's agreements) are remembered in memory under the terms epoch; the member,
 * its balances and the epoch are one narrow read.
 */
import { first, type SqlReader } from "../reader";
import { type accounts, agreements, members, programs, programVelocityRules } from "../schema";
import { type ExtrasRow, extrasColumns, extrasJoin, extrasOf } from "./member-extras";
import { type Nullable, projection, type RowOf, type SqlRow } from "./rows";
import { type Epoch, epochColumn } from "./terms-epoch";

const program = projection(programs);
// The agreement's program and partner are the program read and the partner asked about.
const agreement = projection(agreements, { prefix: "a_", omit: ["programId", "partnerId"] });
const member = projection(members, { prefix: "m_", omit: ["programId"] });
const velocityRules = projection(programVelocityRules, {
  prefix: "v_",
  omit: ["programId", "earnAction", "updatedAt"],
});

type ProgramRow = RowOf<typeof program> & Nullable<RowOf<typeof velocityRules>>;
type AgreementRow = RowOf<typeof agreement>;
type TermsRow = ProgramRow & Nullable<AgreementRow> & Epoch;
type MemberRow = Nullable<RowOf<typeof member>> &
  Epoch & {
    available: SqlRow<typeof accounts>["balance"] | null;
    pending: SqlRow<typeof accounts>["balance"] | null;
  };
/** A program's terms for one partner: the program, its velocity rules, the partner's agreements newest first. */
const termsQuery = `
  select ${epochColumn}, ${program.select("p")}, ${velocityRules.select("v")}, ${agreement.select("a")}
  from programs p
  left join program_velocity_rules v on v.program_id = p.id
  left join agreements a on a.program_id = p.id and a.partner_id = ?
  where p.id = ?
  order by a.valid_from desc, a.id desc`;

const epochQuery = `select ${epochColumn}`;

/**
 * The member by `external_id` with its available and pending balances, and with `extras` its cards and RFM scores
 * too; a row with the epoch even without a member.
 */
const memberSelect = (extras: boolean) => `
  select ${epochColumn}, ${member.select("m")}, ma.balance as available, mh.balance as pending
    ${extras ? `, ${extrasColumns}` : ""}
  from (select 1) one
  left join members m on m.program_id = ? and m.external_id = ?
  left join accounts ma on ma.id = m.id
  left join accounts mh on mh.id = m.id || ':hold'
  ${extras ? extrasJoin : ""}`;
const memberQuery = memberSelect(false);
const memberWithExtrasQuery = memberSelect(true);

type Terms = { epoch: number | null; row: ProgramRow; agreements: AgreementRow[] };

/**
 * Terms read by this process or isolate, per reader (one database) and program and partner, under the epoch they
 * were read at. The hot routes read the epoch with the member and reuse the terms while it is the same: a program
 * and its agreements cost a 50-column row, read far more often than they change.
 */
const rememberedTerms = new WeakMap<SqlReader, Map<string, Terms>>();
const rememberedCapacity = 10_000;

async function programTerms(
  reader: SqlReader,
  programId: string,
  partnerId: string,
  epoch: number | null,
): Promise<Terms | undefined> {
  let byKey = rememberedTerms.get(reader);
  if (!byKey) {
    byKey = new Map();
    rememberedTerms.set(reader, byKey);
  }
  const key = `${programId} ${partnerId}`;
  const known = byKey.get(key);
  if (known && epoch !== null && known.epoch === epoch) return known;
  const rows = await reader.all<TermsRow>(termsQuery, [partnerId, programId]);
  const [row] = rows;
  if (!row) return undefined;
  const agreements = rows.flatMap((each) => (each.a_id === null ? [] : [each as unknown as AgreementRow]));
  const terms = { epoch: row.terms_epoch, row, agreements };
  if (byKey.size >= rememberedCapacity) byKey.clear();
  byKey.set(key, terms);
  return terms;
}

/** The program with the partner's agreement in force at `at` (the latest `valid_from` not after it). */
function inForce(terms: Terms | undefined, partnerId: string, at: Date) {
  const agreementRow = terms?.agreements.find((row) => row.a_valid_from <= at.getTime());
  if (!terms || !agreementRow) return undefined;
  const found = program.map(terms.row);
  return {
    program: found,
    agreement: { ...agreement.map(agreementRow), programId: found.id, partnerId },
    velocityRules: velocityRules.mapJoined(terms.row),
  };
}

/** A program with the partner's agreement in force at `at`; undefined without one. */
export async function findProgramAccess(reader: SqlReader, programId: string, partnerId: string, at: Date) {
  const epoch = (await first<Epoch>(reader, epochQuery))?.terms_epoch ?? null;
  const access = inForce(await programTerms(reader, programId, partnerId, epoch), partnerId, at);
  return access && { program: access.program, agreement: access.agreement };
}

/**
 * `findProgramAccess` plus the member with `externalId` (undefined when there is none), its available and
 * pending balances, and the program's velocity rules (undefined when never set); with `extras`, the member's cards
 * and RFM scores read in the same statement.
 */
export async function findMemberAccess(
  reader: SqlReader,
  programId: string,
  externalId: string,
  partnerId: string,
  at: Date,
  extras = false,
) {
  const row = await first<MemberRow & Partial<ExtrasRow>>(reader, extras ? memberWithExtrasQuery : memberQuery, [
    programId,
    externalId,
  ]);
  const access = inForce(await programTerms(reader, programId, partnerId, row?.terms_epoch ?? null), partnerId, at);
  if (!access) return undefined;
  const found = row && member.mapJoined(row);
  return {
    ...access,
    member: found && { ...found, programId },
    available: row?.available ?? 0,
    pending: row?.pending ?? 0,
    extras: found && extras ? extrasOf(row as ExtrasRow) : undefined,
    /** The terms epoch this read saw: what a credential's remembered standing is confirmed against (http/auth.ts). */
    termsEpoch: row?.terms_epoch ?? null,
  };
}
