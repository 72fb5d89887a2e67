import { createPortalRouter } from "../../context";
import { cardRoutes } from "./card";
import { challengeRoutes } from "./challenges";
import { conversionRoutes } from "./convert";
import { historyRoutes } from "./history";
import { homeRoutes } from "./home";
import { rewardsRoutes } from "./rewards";
import { transferRoutes } from "./transfer";

/**
 * The hosted member pages under `/portal/member/{token}`: one member of one program, for 15 minutes. They show
 * personal data under a URL token, so no cache (a shared device's, a proxy's) keeps them.
 */
export const memberRoutes = createPortalRouter()
  .use("/member/*", async (c, next) => {
    c.header("Cache-Control", "no-store");
    await next();
  })
  .route("/", homeRoutes)
  .route("/", conversionRoutes)
  .route("/", historyRoutes)
  .route("/", challengeRoutes)
  .route("/", cardRoutes)
  .route("/", rewardsRoutes)
  .route("/", transferRoutes);
