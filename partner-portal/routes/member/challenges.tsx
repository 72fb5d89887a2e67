import { memberChallenges } from "../../../gateway/src/domain/promotions/member-challenges";
import { createPortalRouter } from "../../context";
import { MemberChallengesPage } from "../../pages/member/challenges";
import { renderPage } from "../../render";
import { openSession, shell } from "./session";

/** The member's challenges in force with their progress, as the API's list of a member's challenges has them. */
export const challengeRoutes = createPortalRouter().get("/member/:token/challenges", async (c) => {
  const session = await openSession(c);
  const { props, access } = await shell(c, session);
  const challenges = await memberChallenges(c.var.deps, access);
  return renderPage(
    c,
    <MemberChallengesPage {...props} challenges={challenges} currency={access.program.settlementCurrency} />,
  );
});
