import type { ReviewCard } from "../../gateway/src/domain/review-context";
import { Alert, Csrf, Layout } from "../components/layout";
import { OperatorNav } from "../components/operator-nav";
import { TableWrap } from "../components/table";
import type { I18n, MessageKey } from "../i18n";
import { useI18n, useNow, useSignedIn } from "../render";

type Partner = { id: string; name: string; status: string };
export type Notice = { kind: "ok" | "error"; text: string; detail?: string };
/** The close form's values (`YYYY-MM-DDTHH:MM`, UTC) and what was wrong with them, if anything. */
export type CloseForm = { start: string; end: string; error?: string };
/** A statement as the preview and the result list it. */
export type StatementSummary = { partner: string; currency: string; netMinor: number; lines: number };

const rules = new Set([
  "review_threshold",
  "max_burns_per_member_per_hour",
  "max_conversion_points_per_member_per_day",
  "first_conversion_to_new_destination",
  "limiter_unavailable",
]);

/** A fraud rule's name in words. */
export const ruleText = (i18n: I18n, rule: string) =>
  rules.has(rule) ? i18n.t(`operator.rule.${rule}` as MessageKey) : i18n.t("operator.rule.other", { rule });

/** `datetime-local`'s value of an instant, in UTC (to the minute, or the second when it has seconds). */
export const utcInput = (at: Date) => at.toISOString().slice(0, at.getUTCSeconds() === 0 ? 16 : 19);

/** The operator's view: the review queue as cards, closing a settlement period, and the partners. */
export function OperatorPage(props: {
  partners: Partner[];
  cards: ReviewCard[];
  notice?: Notice;
  close: CloseForm;
  lastClosedEnd: Date | null;
}) {
  const { t } = useI18n();
  return (
    <Layout title={t("operator.title")} path="/portal/operator">
      <OperatorNav current="/portal/operator" />
      {props.notice ? (
        <Alert kind={props.notice.kind}>
          {props.notice.text}
          {props.notice.detail ? <span class="detail">{props.notice.detail}</span> : null}
        </Alert>
      ) : null}
      <h2>{t("operator.reviews")}</h2>
      {props.cards.length === 0 ? <p>{t("operator.noReviews")}</p> : <p class="muted">{t("operator.queueIntro")}</p>}
      {props.cards.map((card) => (
        <ReviewCardView card={card} />
      ))}
      <ClosePeriodForm form={props.close} lastClosedEnd={props.lastClosedEnd} />
      <Partners partners={props.partners} />
    </Layout>
  );
}

function ReviewCardView(props: { card: ReviewCard }) {
  const i18n = useI18n();
  const { t } = i18n;
  const session = useSignedIn();
  const { card } = props;
  const headingId = `review-${card.id}`;
  const points = i18n.number(card.points);
  const title = `${t("operator.cardTitle", { kind: t(`operator.kind.${card.kind}`), points })} · ${card.partnerName}`;
  const source = t("operator.programMember", { program: card.program.name, member: card.member.externalId });
  return (
    <article class="card review" aria-labelledby={headingId} data-review={card.id}>
      <h3 id={headingId}>{title}</h3>
      <dl class="facts">
        <div>
          <dt>{t("operator.heldBecause")}</dt>
          <dd>
            <strong>{ruleText(i18n, card.rule)}</strong>
            <span class="muted small" lang="en">
              {card.reason}
            </span>
            <span class="muted small">{t("operator.heldAt", { date: i18n.dateTime(card.createdAt) })}</span>
          </dd>
        </div>
        <div>
          <dt>{t("operator.partner")}</dt>
          <dd>{card.partnerName}</dd>
        </div>
        <div>
          <dt>{t("operator.member")}</dt>
          <dd>
            {t("operator.memberValue", {
              member: card.member.externalId,
              program: card.program.name,
              since: i18n.date(card.member.since),
            })}
          </dd>
        </div>
        <div>
          <dt>{t("operator.balance")}</dt>
          <dd>
            {t("operator.balanceValue", {
              available: i18n.number(card.member.available),
              pending: i18n.number(card.member.pending),
            })}
          </dd>
        </div>
        <div>
          <dt>{t("operator.source")}</dt>
          <dd>{source}</dd>
        </div>
        {card.conversion ? (
          <div>
            <dt>{t("operator.destination")}</dt>
            <dd>
              {t("operator.programMember", {
                program: card.conversion.toProgramName,
                member: card.conversion.toExternalId,
              })}
            </dd>
          </div>
        ) : null}
        <div>
          <dt>{t("operator.amounts")}</dt>
          <dd data-amounts>
            {card.conversion
              ? t("operator.conversionAmounts", {
                  from: i18n.number(card.conversion.fromPoints),
                  fee: i18n.number(card.conversion.feePoints),
                  to: i18n.number(card.conversion.toPoints),
                })
              : t("operator.burnAmounts", { points })}
          </dd>
        </div>
        <div>
          <dt>{t("operator.value")}</dt>
          <dd data-value>
            {card.value ? i18n.money(card.value.amountMinor, card.value.currency) : t("operator.valueNone")}
          </dd>
        </div>
      </dl>
      <History card={card} cardTitle={title} />
      <form method="post" action={`/portal/operator/reviews/${card.id}/approve`} class="decide">
        <Csrf token={session.csrfToken} />
        <label>
          {t("operator.decisionReason")}
          <input name="reason" maxlength={500} />
        </label>
        <div class="actions">
          <button type="submit">{t("operator.approve")}</button>
          <button type="submit" class="secondary" formaction={`/portal/operator/reviews/${card.id}/reject`}>
            {t("operator.reject")}
          </button>
        </div>
      </form>
    </article>
  );
}

/** A table's header row: each column's name, the numeric ones (`true`) aligned right. */
const Head = (props: { columns: [string, boolean?][] }) => (
  <thead>
    <tr>
      {props.columns.map(([name, numeric]) => (
        <th scope="col" class={numeric ? "num" : undefined}>
          {name}
        </th>
      ))}
    </tr>
  </thead>
);

function History(props: { card: ReviewCard; cardTitle: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { card } = props;
  const title = t("operator.history", { member: card.member.externalId });
  if (card.history.length === 0)
    return (
      <p>
        <strong>{title}</strong>: {t("operator.historyNone")}
      </p>
    );
  return (
    <>
      <h4>{title}</h4>
      {/* Named after its card too: two cards of one member must not have two regions of the same name. */}
      <TableWrap label={`${title} (${props.cardTitle}, ${i18n.dateTime(card.createdAt)})`}>
        <table>
          <Head
            columns={[
              [t("operator.when")],
              [t("operator.movement")],
              [t("operator.points"), true],
              [t("operator.balanceAfter"), true],
            ]}
          />
          <tbody>
            {card.history.map((movement) => (
              <tr>
                <th scope="row">{i18n.dateTime(movement.createdAt)}</th>
                <td data-label={t("operator.movement")}>{t(`operator.type.${movement.type}`)}</td>
                <td class="num" data-label={t("operator.points")}>
                  {i18n.number(movement.points)}
                </td>
                <td class="num" data-label={t("operator.balanceAfter")}>
                  {i18n.number(movement.balanceAfter)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
    </>
  );
}

/** The previous calendar month in UTC: `[first of last month, first of this month)`. */
export function lastMonth(now: Date) {
  const end = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  return { start, end };
}

function ClosePeriodForm(props: { form: CloseForm; lastClosedEnd: Date | null }) {
  const i18n = useI18n();
  const { t } = i18n;
  const month = lastMonth(useNow());
  const monthName = new Intl.DateTimeFormat(i18n.locale, { month: "long", year: "numeric", timeZone: "UTC" }).format(
    month.start,
  );
  const presetHref = `/portal/operator?start=${utcInput(month.start)}&end=${utcInput(month.end)}#close`;
  const { form } = props;
  const invalid = form.error ? "true" : undefined;
  return (
    <section aria-labelledby="close" class="close-period">
      <h2 id="close">{t("operator.closePeriod")}</h2>
      <p class="muted">
        {t("operator.closeIntro")}{" "}
        {props.lastClosedEnd
          ? t("operator.lastClosed", { end: i18n.dateTime(props.lastClosedEnd) })
          : t("operator.noneClosed")}
      </p>
      <nav aria-label={t("operator.presets")}>
        <a class="preset" href={presetHref}>
          {t("operator.lastMonth", { month: monthName })}
        </a>
      </nav>
      {form.error ? (
        <p class="field-error" id="close-error" role="alert">
          {form.error}
        </p>
      ) : null}
      <form method="get" action="/portal/operator/periods/preview" class="stack">
        <label>
          {t("operator.start")} (UTC)
          <input
            name="start"
            type="datetime-local"
            required
            value={form.start}
            aria-invalid={invalid}
            aria-describedby={form.error ? "close-error" : undefined}
          />
        </label>
        <label>
          {t("operator.end")} (UTC)
          <input
            name="end"
            type="datetime-local"
            required
            value={form.end}
            aria-invalid={invalid}
            aria-describedby={form.error ? "close-error" : undefined}
          />
        </label>
        <button type="submit">{t("operator.preview")}</button>
      </form>
    </section>
  );
}

function Partners(props: { partners: Partner[] }) {
  const { t } = useI18n();
  return (
    <>
      <h2>{t("operator.partners")}</h2>
      <TableWrap label={t("operator.partners")}>
        <table>
          <thead>
            <tr>
              <th scope="col">{t("operator.partnerName")}</th>
              <th scope="col">{t("operator.partnerId")}</th>
              <th scope="col">{t("operator.partnerStatus")}</th>
            </tr>
          </thead>
          <tbody>
            {props.partners.map((partner) => (
              <tr>
                <th scope="row">{partner.name}</th>
                <td data-label={t("operator.partnerId")}>
                  <code>{partner.id}</code>
                </td>
                <td data-label={t("operator.partnerStatus")}>
                  {partner.status === "active" || partner.status === "suspended"
                    ? t(`operator.status.${partner.status}`)
                    : partner.status}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
    </>
  );
}

/** A statement's net from the partner's side, in words. */
function netText(i18n: I18n, statement: StatementSummary) {
  const amount = i18n.money(Math.abs(statement.netMinor), statement.currency);
  if (statement.netMinor > 0) return i18n.t("operator.owedTo", { amount });
  if (statement.netMinor < 0) return i18n.t("operator.owedBy", { amount });
  return i18n.t("operator.nothingOwed", { amount });
}

function StatementsTable(props: { statements: StatementSummary[]; label: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  return (
    <TableWrap label={props.label}>
      <table>
        <Head
          columns={[
            [t("operator.partner")],
            [t("statements.currency")],
            [t("statements.net"), true],
            [t("operator.lines"), true],
          ]}
        />
        <tbody>
          {props.statements.map((statement) => (
            <tr>
              <th scope="row">{statement.partner}</th>
              <td data-label={t("statements.currency")}>{statement.currency}</td>
              <td class="num" data-label={t("statements.net")} data-net={statement.netMinor}>
                {netText(i18n, statement)}
              </td>
              <td class="num" data-label={t("operator.lines")}>
                {i18n.number(statement.lines)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

/** What closing `[start, end)` would issue, and a POST form to do it; nothing is written until it is sent. */
export function PeriodPreviewPage(props: {
  start: Date;
  end: Date;
  statements: StatementSummary[];
  movements: number;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const session = useSignedIn();
  const count = i18n.number(props.statements.length);
  const back = `/portal/operator?start=${utcInput(props.start)}&end=${utcInput(props.end)}#close`;
  return (
    <Layout title={t("operator.previewTitle")} path="/portal/operator">
      <p>
        {t("operator.previewIntro", {
          start: i18n.dateTime(props.start),
          end: i18n.dateTime(props.end),
          count,
          movements: i18n.number(props.movements),
        })}
      </p>
      <StatementsTable statements={props.statements} label={t("operator.previewTitle")} />
      <form method="post" action="/portal/operator/periods" class="actions">
        <Csrf token={session.csrfToken} />
        <input type="hidden" name="start" value={utcInput(props.start)} />
        <input type="hidden" name="end" value={utcInput(props.end)} />
        <button type="submit">{t("operator.confirmClose", { count })}</button>
        <a class="button secondary" href={back}>
          {t("operator.changeDates")}
        </a>
      </form>
    </Layout>
  );
}

/** A closed period and the statements it issued. */
export function PeriodResultPage(props: { start: Date; end: Date; statements: StatementSummary[] }) {
  const i18n = useI18n();
  const { t } = i18n;
  return (
    <Layout title={t("operator.resultTitle")} path="/portal/operator">
      <Alert kind="ok">{t("operator.closed", { count: i18n.number(props.statements.length) })}</Alert>
      <p>{t("operator.resultIntro", { start: i18n.dateTime(props.start), end: i18n.dateTime(props.end) })}</p>
      <StatementsTable statements={props.statements} label={t("operator.resultTitle")} />
      <p>
        <a href="/portal/operator">{t("operator.backToOperator")}</a>
      </p>
    </Layout>
  );
}
