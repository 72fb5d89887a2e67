import QRCode from "qrcode";
import { listMemberCards } from "../../../gateway/src/db/queries/cards";
import { createPortalRouter } from "../../context";
import { MemberCardPage, type MemberCardView } from "../../pages/member/card";
import { renderPage } from "../../render";
import { openSession, shell } from "./session";

/**
 * The member's digital card: the card most recently linked to the member (a lost card is unlinked, a new one
 * linked), or, with none, the member's own number (`external_id`), which a till can look up as well. The QR code
 * uses error correction M (a phone screen held to a scanner can be scuffed or glared) and the standard's quiet
 * zone of 4 modules.
 */
export const cardRoutes = createPortalRouter().get("/member/:token/card", async (c) => {
  const session = await openSession(c);
  const { props, access } = await shell(c, session);
  const latest = (await listMemberCards(c.var.deps.reader, access.member.id)).at(-1);
  const card: MemberCardView = latest
    ? { number: latest.number, linkedCard: true }
    : { number: access.member.externalId, linkedCard: false };
  const qrSvg = await QRCode.toString(card.number, { type: "svg", errorCorrectionLevel: "M", margin: 4 });
  return renderPage(c, <MemberCardPage {...props} card={card} qrSvg={qrSvg} />);
});
