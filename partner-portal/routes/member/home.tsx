import type { Deps } from "../../../gateway/src/deps";
import type { MemberAccess } from "../../../gateway/src/domain/access";
import { destinationsWithLimits } from "../../../gateway/src/domain/conversions/destinations";
import type { MemberSession } from "../../../gateway/src/domain/member-sessions";
import { memberBalance } from "../../../gateway/src/domain/members";
import { memberTiers } from "../../../gateway/src/domain/tiers/member-tier";
import { tierTableOf } from "../../../gateway/src/domain/tiers/table-read";
import { createPortalRouter } from "../../context";
import type { MemberForm } from "../../pages/member/convert";
import { MemberHomePage, type MemberTierProps } from "../../pages/member/home";
import { renderPage } from "../../render";
import { type MemberContext, openSession, type Status, shell } from "./session";

/** The member's tier and progress with the tiers that name the next one, or undefined in a program without tiers. */
async function memberTier(
  reader: Deps["reader"],
  access: MemberAccess,
  now: Date,
): Promise<MemberTierProps | undefined> {
  const table = await tierTableOf(reader, access.program.id);
  if (!table) return undefined;
  const view = (await memberTiers(reader, access.program, [access.member], now, table)).get(access.member.id);
  return view && { view, tiers: table.tiers, currency: access.program.settlementCurrency };
}

/**
 * The home page: balance and expiring points, tier and progress, and the conversion forms, one of them as typed
 * (with its errors) when a quote was refused, or with an alert above them.
 */
export async function homePage(
  c: MemberContext,
  session: MemberSession,
  extra: { form?: MemberForm; alert?: { kind: "ok" | "error"; text: string } } = {},
  status: Status = 200,
) {
  const { props, access, now } = await shell(c, session);
  const { deps } = c.var;
  const [balance, destinations, tier] = await Promise.all([
    memberBalance(deps.reader, access),
    destinationsWithLimits(
      deps,
      { programId: session.programId, memberId: access.member.id, available: access.available },
      now,
    ),
    memberTier(deps.reader, access, now),
  ]);
  return renderPage(
    c,
    <MemberHomePage
      {...props}
      csrf={session.csrfToken}
      expiring={balance.expiring}
      destinations={destinations}
      tier={tier}
      {...extra}
    />,
    status,
  );
}

export const homeRoutes = createPortalRouter().get("/member/:token", async (c) => homePage(c, await openSession(c)));
