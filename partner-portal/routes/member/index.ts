import { createPortalRouter } from "../../context";
import { conversionRoutes } from "./convert";

/** The hosted member pages under `/portal/member/{token}`: one member of one program, for 15 minutes. */
export const memberRoutes = createPortalRouter().route("/", conversionRoutes);
