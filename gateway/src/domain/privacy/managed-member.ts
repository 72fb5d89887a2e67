import type { Deps } from "../../deps";
import { type MemberAccess, memberAccess } from "../access";
import { type Caller, managedProgram } from "../programs";

/**
 * A member of a program the caller manages (`programs:manage` on its own program, or the operator): what exporting
 * and erasing a member's personal data need. Another partner's program answers 404, or 403 with an agreement in it.
 */
export async function managedMember(
  deps: Pick<Deps, "db" | "reader" | "clock">,
  caller: Caller,
  programId: string,
  externalId: string,
): Promise<MemberAccess> {
  const program = await managedProgram(deps, caller, programId);
  // The owner always holds an agreement in its program (createProgram writes it), so it finds the member.
  return memberAccess(deps.reader, program.id, externalId, program.partnerId, deps.clock.now());
}
