import { eraseMemberStatements, findProgramPartners, notErasedStatement } from "../../db/queries/privacy";
import { refusalOf } from "../../db/queries/refusals";
import type { Deps } from "../../deps";
import { type CommittedResponse, commitUnit, type IdempotencyRecord } from "../ledger/movement";
import { type Member, memberDetails, type PresentMember } from "../members";
import type { Caller } from "../programs";
import { managedMember } from "./managed-member";

/** Thrown inside `eraseMember` when the write finds the member erased already (by a concurrent erase). */
class ErasedAlready extends Error {}

/**
 * Erases a member's personal data (`programs:manage` on its program, or the operator) in one atomic write: its
 * email, name, locale, birth date and attributes, its touchpoints' notes, its orders' delivery addresses, its cards
 * and hosted page sessions, the copies stored events and idempotent answers carry (db/queries/privacy.ts), and a
 * `member.erased` event `{ program_id, external_id, erased_at }` to the program's owner and every partner with an
 * agreement in it. The ledger, statements and reports do not change: the member's id, external id, transactions and
 * balances stay, so the books still add up. From then on it reads as erased and refuses writes (./erased.ts).
 * Erasing an erased member changes nothing and answers it as it is (no second event), a concurrent erase too.
 */
export async function eraseMember(
  deps: Pick<Deps, "db" | "reader" | "writer" | "clock" | "ids">,
  input: { caller: Caller; programId: string; externalId: string },
  present: PresentMember,
  idempotency?: IdempotencyRecord,
): Promise<CommittedResponse> {
  const access = await managedMember(deps, input.caller, input.programId, input.externalId);
  const { program, member } = access;
  const answerAsItIs = async (): Promise<CommittedResponse> => {
    const now = await managedMember(deps, input.caller, input.programId, input.externalId);
    return { status: 200, body: JSON.stringify(present(now.member, await memberDetails(deps, now))) };
  };
  if (member.erasedAt) return answerAsItIs();

  const at = deps.clock.now();
  const erased: Member = {
    ...member,
    email: null,
    name: null,
    locale: null,
    birthDate: null,
    attributes: "{}",
    erasedAt: at,
    updatedAt: at,
  };
  const [details, recipients] = await Promise.all([
    memberDetails(deps, access),
    findProgramPartners(deps.db, program.id, program.partnerId),
  ]);
  const data = { program_id: program.id, external_id: member.externalId, erased_at: at.toISOString() };
  try {
    return await commitUnit(
      deps.writer,
      {
        postings: [],
        // First: a concurrent erase that committed meanwhile leaves this one nothing to do.
        guards: [notErasedStatement(member.id), ...eraseMemberStatements(member, at)],
        events: recipients.map((partnerId) => ({
          id: deps.ids("evt"),
          partnerId,
          type: "member.erased" as const,
          data,
          at,
        })),
        // Its cards are gone with the erase.
        body: present(erased, { ...details, cards: [] }) as Record<string, unknown>,
        status: 200,
        idempotency,
        at,
      },
      (violation) => (refusalOf(violation) === "invalid_state" ? new ErasedAlready() : undefined),
    );
  } catch (error) {
    if (error instanceof ErasedAlready) return answerAsItIs();
    throw error;
  }
}
