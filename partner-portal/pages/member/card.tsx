import { raw } from "hono/html";
import { useI18n } from "../../render";
import { MemberShell, type MemberShellProps, memberHref } from "./shell";

/**
 * The member's digital card: the number a till scans as a QR code, drawn on the server as SVG (no script, no
 * image request), 240 px on a phone, named for screen readers by the program, the member and the number, with
 * the same three written beside it.
 */

/** The card the page shows: its number, and whether it is a linked card's or the member's own number. */
export type MemberCardView = { number: string; linkedCard: boolean };

/**
 * The QR code's drawing as `qrcode` renders it (an `<svg>` with a viewBox and its paths), re-rooted in an `<svg>`
 * of ours that carries the size and the accessible name, so no text of ours is spliced into markup unescaped.
 */
function QrCode(props: { svg: string; label: string }) {
  const drawing = /^<svg [^>]*viewBox="([\d .]+)"[^>]*>(.*)<\/svg>\s*$/s.exec(props.svg);
  if (!drawing) throw new Error("qrcode rendered an unexpected SVG");
  return (
    <svg
      xmlns="http://www.w3.org/2000/svg"
      viewBox={drawing[1]}
      width="240"
      height="240"
      shape-rendering="crispEdges"
      class="member-qr"
      role="img"
      aria-label={props.label}
    >
      {raw(drawing[2])}
    </svg>
  );
}

export function MemberCardPage(props: MemberShellProps & { card: MemberCardView; qrSvg: string }) {
  const { t } = useI18n();
  const { card } = props;
  const label = props.name
    ? t("member.card.qr", { program: props.program, name: props.name, number: card.number })
    : t("member.card.qrNoName", { program: props.program, number: card.number });
  return (
    <MemberShell {...props} title={t("member.cardTitle")} path={memberHref(props.token, "/card")}>
      <figure class="member-card" data-card={card.number}>
        <QrCode svg={props.qrSvg} label={label} />
        <figcaption>
          <dl>
            <div>
              <dt>{t("member.card.program")}</dt>
              <dd data-card-field="program">{props.program}</dd>
            </div>
            {props.name ? (
              <div>
                <dt>{t("member.card.name")}</dt>
                <dd data-card-field="name">{props.name}</dd>
              </div>
            ) : null}
            <div>
              <dt>{t(card.linkedCard ? "member.card.number" : "member.card.memberNumber")}</dt>
              <dd data-card-field="number">{card.number}</dd>
            </div>
          </dl>
        </figcaption>
      </figure>
      <p>{t("member.card.hint")}</p>
    </MemberShell>
  );
}
