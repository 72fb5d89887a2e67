import { outboxInsert } from "../../db/queries/outbox";
import {
  assertTierTableVersion,
  holdMemberTierStatement,
  insertTierChangeStatement,
  setMemberTierStatements,
} from "../../db/queries/tiers";
import type { Deps } from "../../deps";
import { ApiError } from "../../errors";
import { type MemberAccess, memberAccess } from "../access";
import { retryingStaleWrites } from "../ledger/movement";
import { type Caller, managedProgram } from "../programs";
import { heldUntil as heldForWindow } from "./qualify";
import { tierTableOf } from "./table-read";

/**
 * Sets a member's tier by hand (a status match), for the program's owner or the operator: the member keeps at
 * least that tier until `heldUntil` (default: the qualification window from now), then the daily re-evaluation
 * applies. No upgrade bonus is paid. Recorded in the tier history with its reason and actor; a move sends
 * `member.tier_changed` with reason `manual`. Answers the member as it is after the write.
 */
export async function setManualTier(
  deps: Pick<Deps, "db" | "reader" | "writer" | "clock" | "ids">,
  input: {
    caller: Caller;
    actor: string;
    programId: string;
    externalId: string;
    tierKey: string;
    heldUntil?: Date;
    reason: string;
  },
): Promise<MemberAccess> {
  const program = await managedProgram(deps, input.caller, input.programId);
  await retryingStaleWrites(async () => {
    const table = await tierTableOf(deps.reader, program.id);
    if (!table)
      throw new ApiError(
        "invalid_state",
        `Program ${program.id} has no tiers: set them with PUT /v1/programs/${program.id}/tiers first.`,
      );
    const tier = table.tiers.find((candidate) => candidate.key === input.tierKey);
    if (!tier)
      throw new ApiError("validation_failed", `Program ${program.id} has no tier ${input.tierKey}.`, {
        errors: [
          { path: "tier_key", message: `must be one of ${table.tiers.map((candidate) => candidate.key).join(", ")}` },
        ],
      });
    const now = deps.clock.now();
    const until = input.heldUntil ?? heldForWindow(table, now);
    if (until.getTime() <= now.getTime())
      throw new ApiError("validation_failed", "held_until is not in the future.", {
        errors: [{ path: "held_until", message: `must be after ${now.toISOString()}` }],
      });
    const { member } = await memberAccess(deps.reader, program.id, input.externalId, program.partnerId, now);
    const change = {
      id: deps.ids("mtc"),
      programId: program.id,
      memberId: member.id,
      fromKey: member.tierKey,
      toKey: tier.key,
      reason: "manual" as const,
      note: input.reason,
      actor: input.actor,
      at: now,
    };
    const moved = member.tierKey !== tier.key;
    const data = {
      program_id: program.id,
      external_id: member.externalId,
      from: member.tierKey,
      to: tier.key,
      reason: "manual",
    };
    const recipients = [
      ...new Set([program.partnerId, member.enrolledBy, input.caller.partnerId ?? program.partnerId]),
    ];
    await deps.writer.write([
      assertTierTableVersion(program.id, table.version),
      ...(moved
        ? setMemberTierStatements(change, until)
        : [holdMemberTierStatement(member.id, until), insertTierChangeStatement(change)]),
      ...(moved
        ? recipients.flatMap((partnerId) =>
            outboxInsert({ id: deps.ids("evt"), partnerId, type: "member.tier_changed", data, at: now }),
          )
        : []),
    ]);
  });
  return memberAccess(deps.reader, program.id, input.externalId, program.partnerId, deps.clock.now());
}
