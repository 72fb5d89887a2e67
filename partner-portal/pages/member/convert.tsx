import type { Child } from "hono/jsx";
import type { AmountLimits, Destination } from "../../../gateway/src/domain/conversions/destinations";
import { Alert, Csrf } from "../../components/layout";
import type { I18n, MessageKey } from "../../i18n";
import { useI18n } from "../../render";
import { FieldError, MemberShell, type MemberShellProps, pointsOf, zoned } from "./shell";

/**
 * The hosted conversion page a member opens on a phone, as the partner's own page: the program's brand, the
 * balance, each destination with its limits before anything is typed, a quote said in words with a countdown,
 * and a receipt. Plain forms, large targets, a label on every input; no script (the countdown is SVG animation).
 */

/** What the member typed into one destination's form, and what is wrong with it. */
export type MemberForm = {
  programId: string;
  values: { to_external_id?: string; from_points?: string };
  errors: { to_external_id?: string; from_points?: string };
};

export type MemberDestination = Destination & { limits: AmountLimits };

/** A quote as the page shows it. */
export type MemberQuoteView = {
  id: string;
  destination: string;
  toExternalId: string;
  fromPoints: number;
  feePoints: number;
  toPoints: number;
  expiresAt: Date;
  /** How long the quote held its rate when made, and how long it has left now. */
  ttlSeconds: number;
  secondsLeft: number;
};

/** A conversion as its receipt shows it. */
export type MemberReceiptView = {
  id: string;
  status: "completed" | "held" | "rejected" | "pending" | "failed";
  destination: string;
  toExternalId: string;
  fromPoints: number;
  feePoints: number;
  toPoints: number;
  createdAt: Date;
};

/** A length of time in words ("60 seconds", "2 минуты"). */
const duration = (i18n: I18n, seconds: number) =>
  seconds >= 120
    ? new Intl.NumberFormat(i18n.locale, { style: "unit", unit: "minute", unitDisplay: "long" }).format(
        Math.round(seconds / 60),
      )
    : new Intl.NumberFormat(i18n.locale, { style: "unit", unit: "second", unitDisplay: "long" }).format(seconds);

/** What one destination allows, before anything is typed. */
function limitsText(i18n: I18n, d: MemberDestination, available: number, source: string) {
  const { min, step, max, bound } = d.limits;
  const n = i18n.number;
  if (max >= min)
    return i18n.t(bound === "today" ? "member.limits.today" : "member.limits.balance", {
      min: n(min),
      step: n(step),
      max: n(max),
    });
  return bound === "today"
    ? i18n.t("member.limits.todayReached", { program: d.name })
    : i18n.t("member.limits.lowBalance", { min: n(min), available: n(available), program: source });
}

/** One destination: its rate, fee and limits, and a form whose input's min, step and max say the same. */
function DestinationForm(props: {
  token: string;
  csrf: string;
  source: string;
  available: number;
  destination: MemberDestination;
  form?: MemberForm;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const d = props.destination;
  const form = props.form?.programId === d.programId ? props.form : undefined;
  const id = (name: string) => `${name}-${d.programId}`;
  const { min, step, max } = d.limits;
  const open = max >= min;
  return (
    <section class="member-destination" aria-labelledby={id("name")} data-destination={d.programId}>
      <h3 id={id("name")}>{d.name}</h3>
      <p>
        {t("member.rate", {
          from: pointsOf(i18n, d.fromPoints, props.source),
          to: pointsOf(i18n, d.toPoints, d.name),
        })}
        <br />
        {d.feeBps === 0 ? t("member.noFee") : t("member.feePercent", { percent: i18n.percent(d.feeBps / 10_000) })}
      </p>
      <p class="member-limits" id={id("limits")} data-limits={d.programId}>
        {limitsText(i18n, d, props.available, props.source)}
      </p>
      {open ? (
        <form method="post" action={`/portal/member/${props.token}/quote`} class="stack member-form">
          <Csrf token={props.csrf} />
          <input type="hidden" name="to_program_id" value={d.programId} />
          <label for={id("number")}>{t("member.numberThere", { program: d.name })}</label>
          <input
            id={id("number")}
            name="to_external_id"
            required
            maxlength={128}
            autocomplete="off"
            value={form?.values.to_external_id ?? ""}
            aria-invalid={form?.errors.to_external_id ? "true" : undefined}
            aria-describedby={form?.errors.to_external_id ? id("number-error") : undefined}
          />
          <FieldError id={id("number-error")} text={form?.errors.to_external_id} />
          <label for={id("points")}>{t("member.points")}</label>
          <input
            id={id("points")}
            name="from_points"
            type="number"
            inputmode="numeric"
            min={min}
            step={step}
            max={max}
            required
            value={form?.values.from_points ?? ""}
            aria-invalid={form?.errors.from_points ? "true" : undefined}
            aria-describedby={form?.errors.from_points ? `${id("points-error")} ${id("limits")}` : id("limits")}
          />
          <FieldError id={id("points-error")} text={form?.errors.from_points} />
          <button type="submit">{t("member.quoteTo", { program: d.name })}</button>
        </form>
      ) : null}
    </section>
  );
}

/** Every destination with its limits and its form (one kept as typed, with its errors); the home page shows them. */
export function MemberDestinations(
  props: Pick<MemberShellProps, "token" | "program" | "available"> & {
    csrf: string;
    destinations: MemberDestination[];
    form?: MemberForm;
  },
) {
  const { t } = useI18n();
  if (props.destinations.length === 0) return <p>{t("member.noRates")}</p>;
  return (
    <>
      <h2>{t("member.destinationsTitle")}</h2>
      <div class="member-destinations">
        {props.destinations.map((destination) => (
          <DestinationForm
            token={props.token}
            csrf={props.csrf}
            source={props.program}
            available={props.available}
            destination={destination}
            form={props.form}
          />
        ))}
      </div>
    </>
  );
}

/**
 * The countdown, without script: a bar that starts at the share of the quote's time still left and shrinks to
 * nothing over the seconds left, as SVG animation (the server writes its duration; no inline style is needed).
 */
function Countdown(props: { quote: MemberQuoteView; timezone: string }) {
  const i18n = useI18n();
  const { quote } = props;
  const share = Math.round((1000 * quote.secondsLeft) / Math.max(1, quote.ttlSeconds)) / 10;
  return (
    <div class="member-countdown">
      <p data-quote="expires">
        {i18n.t("member.expires", { time: zoned(i18n, props.timezone, quote.expiresAt, true) })}
      </p>
      <svg
        viewBox="0 0 100 10"
        preserveAspectRatio="none"
        width="100%"
        height="12"
        role="img"
        aria-label={i18n.t("member.countdown", { time: duration(i18n, quote.secondsLeft) })}
        data-seconds-left={quote.secondsLeft}
      >
        <rect width="100" height="10" rx="5" fill="#d8dde5" />
        <rect width={share} height="10" rx="5" fill="#0b5fff">
          <animate attributeName="width" from={share} to="0" dur={`${quote.secondsLeft}s`} fill="freeze" />
        </rect>
      </svg>
      <p class="muted">{i18n.t("member.countdownHint")}</p>
    </div>
  );
}

/** The quote in words, its countdown and the confirmation; or why confirming it failed. */
export function MemberQuotePage(
  props: MemberShellProps & { csrf: string; quote: MemberQuoteView; alert?: { kind: "error"; text: string } },
) {
  const i18n = useI18n();
  const { t } = i18n;
  const { quote } = props;
  return (
    <MemberShell {...props} title={t("member.quoteTitle")} path={`/portal/member/${props.token}`}>
      {props.alert ? <Alert kind="error">{props.alert.text}</Alert> : null}
      <p class="member-sentence" data-quote="sentence">
        {t("member.quoteSentence", {
          give: pointsOf(i18n, quote.fromPoints, props.program),
          get: pointsOf(i18n, quote.toPoints, quote.destination),
          fee: i18n.number(quote.feePoints),
        })}
      </p>
      <p>{t("member.quoteRecipient", { program: quote.destination, id: quote.toExternalId })}</p>
      {props.alert ? null : <Countdown quote={quote} timezone={props.timezone} />}
      <div class="member-actions">
        {props.alert ? null : (
          <form method="post" action={`/portal/member/${props.token}/confirm`}>
            <Csrf token={props.csrf} />
            <input type="hidden" name="quote_id" value={quote.id} />
            <button type="submit">{t("member.confirm")}</button>
          </form>
        )}
        <a href={`/portal/member/${props.token}`}>{t("member.startOver")}</a>
      </div>
    </MemberShell>
  );
}

const receiptTitles = {
  completed: "member.receiptDone",
  held: "member.receiptHeld",
  rejected: "member.receiptRejected",
  pending: "member.receiptPending",
  failed: "member.receiptFailed",
} as const;
const receiptTexts = {
  completed: "member.doneText",
  held: "member.heldText",
  rejected: "member.rejectedText",
  pending: "member.pendingText",
  failed: "member.failedText",
} as const;

/**
 * A conversion's receipt: its outcome in words (a held one, and one on its way to a program on another database, as
 * pending), a reference, and what moved.
 */
export function MemberReceiptPage(props: MemberShellProps & { conversion: MemberReceiptView }) {
  const i18n = useI18n();
  const { t } = i18n;
  const c = props.conversion;
  const give = pointsOf(i18n, c.fromPoints, props.program);
  const get = pointsOf(i18n, c.toPoints, c.destination);
  const outcome = { completed: "ok", held: "pending", rejected: "error", pending: "pending", failed: "error" } as const;
  const rows: [MessageKey, Child, string?][] = [
    ["member.reference", <code>{c.id}</code>, "reference"],
    ["member.when", zoned(i18n, props.timezone, c.createdAt), "when"],
    ["member.status", t(`member.status.${c.status}`), "status"],
    ["member.gave", give],
    ["member.fee", i18n.number(c.feePoints)],
    ["member.got", get],
    [
      "member.recipient",
      <>
        {c.destination} · <code>{c.toExternalId}</code>
      </>,
    ],
  ];
  return (
    <MemberShell {...props} title={t(receiptTitles[c.status])} path={`/portal/member/${props.token}`}>
      <p class={`alert member-${outcome[c.status]}`} role="status" data-receipt="outcome">
        {t(receiptTexts[c.status], { give, get })}
      </p>
      <dl class="member-receipt">
        {rows.map(([label, value, name]) => (
          <div>
            <dt>{t(label)}</dt>
            <dd data-receipt={name}>{value}</dd>
          </div>
        ))}
      </dl>
      <p>
        <a class="button" href={`/portal/member/${props.token}`}>
          {t("member.convertMore")}
        </a>
      </p>
    </MemberShell>
  );
}
