import type { IssuedStatement } from "../../gateway/src/domain/settlement/find";
import { formatPrice } from "../../gateway/src/domain/settlement/money";
import type { StatementDocument, StatementLine } from "../../gateway/src/domain/settlement/statements";
import {
  paymentTermDays,
  periodName,
  type StatementSummary,
  signedAmountMinor,
} from "../../gateway/src/domain/settlement/summary";
import { balanceSentence, netSentence, type Say, statusSentence } from "../../gateway/src/domain/settlement/wording";
import { Layout } from "../components/layout";
import { TableWrap } from "../components/table";
import type { I18n } from "../i18n";
import { useI18n, useSignedIn } from "../render";

/** The statement's sentences in the page's language and the statement's currency. */
const sayFor = (i18n: I18n, currency: string): Say => ({
  t: i18n.t,
  money: (minor) => i18n.money(minor, currency),
  date: i18n.date,
});

const periodOf = (i18n: I18n, statement: StatementDocument) =>
  periodName(statement.period.start, statement.period.end, i18n.locale);

/** The status as a badge: "Due by ...", "Overdue: ...", "Nothing to pay". */
function Status(props: { summary: StatementSummary; say: Say }) {
  return (
    <span class={`status status-${props.summary.status}`} data-status={props.summary.status}>
      {statusSentence(props.summary, props.say)}
    </span>
  );
}

/** Every statement: its period as people say it, the net in words, the due date and the status. */
export function StatementsPage(props: { statements: { document: StatementDocument; summary: StatementSummary }[] }) {
  const i18n = useI18n();
  const { t } = i18n;
  return (
    <Layout title={t("statements.title")} path="/portal/statements">
      <p class="muted">{t("statement.dueRule", { days: paymentTermDays })}</p>
      {props.statements.length === 0 ? (
        <p>{t("statements.none")}</p>
      ) : (
        <TableWrap label={t("statements.title")}>
          <table class="statements">
            <thead>
              <tr>
                <th scope="col">{t("statements.period")}</th>
                <th scope="col">{t("statements.net")}</th>
                <th scope="col">{t("statement.due")}</th>
                <th scope="col">{t("statement.status")}</th>
                <th scope="col">{t("statements.issued")}</th>
                <th scope="col">
                  <span class="muted">·</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {props.statements.map(({ document, summary }) => {
                const say = sayFor(i18n, document.currency);
                const period = periodOf(i18n, document);
                return (
                  <tr data-statement={document.id}>
                    <th scope="row">{period}</th>
                    <td data-label={t("statements.net")} data-net={summary.net_minor}>
                      {netSentence(summary, say)}
                    </td>
                    <td data-label={t("statement.due")}>{i18n.date(summary.due)}</td>
                    <td data-label={t("statement.status")}>
                      <Status summary={summary} say={say} />
                    </td>
                    <td data-label={t("statements.issued")}>{i18n.date(document.created_at)}</td>
                    <td>
                      <a href={`/portal/statements/${document.id}`} aria-label={t("statements.openPeriod", { period })}>
                        {t("statements.open")}
                      </a>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableWrap>
      )}
    </Layout>
  );
}

/** A table of lines with the amount each shows, and a footer of totals. */
function Lines(props: {
  label: string;
  lines: StatementLine[];
  amountOf: (line: StatementLine) => number;
  say: Say;
  currency: string;
  totals: [string, number, string][];
}) {
  const i18n = useI18n();
  const { t } = i18n;
  return (
    <TableWrap label={props.label}>
      <table class="lines">
        <thead>
          <tr>
            <th scope="col">{t("statement.kind")}</th>
            <th scope="col">{t("statement.direction")}</th>
            <th scope="col">{t("statement.counterparty")}</th>
            <th scope="col">{t("statement.program")}</th>
            <th scope="col" class="num">
              {t("statement.points")}
            </th>
            <th scope="col" class="num">
              {t("statement.price")}
            </th>
            <th scope="col" class="num">
              {t("statement.amount")}
            </th>
          </tr>
        </thead>
        <tbody>
          {props.lines.map((line) => (
            <tr>
              <th scope="row">{t(`statement.kind.${line.kind}`)}</th>
              <td data-label={t("statement.direction")}>{t(`statement.direction.${line.direction}`)}</td>
              <td data-label={t("statement.counterparty")}>{line.counterparty?.name ?? "—"}</td>
              <td data-label={t("statement.program")}>{line.program.name}</td>
              <td data-label={t("statement.points")} class="num">
                {i18n.number(line.points)}
              </td>
              <td data-label={t("statement.price")} class="num">
                {formatPrice(i18n.locale, line.price_micros, props.currency)}
              </td>
              <td data-label={t("statement.amount")} class="num">
                {props.say.money(props.amountOf(line))}
              </td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          {props.totals.map(([label, minor, key]) => (
            <tr>
              <th scope="row" colspan={6}>
                {label}
              </th>
              <td class="num" data-total={key}>
                {props.say.money(minor)}
              </td>
            </tr>
          ))}
        </tfoot>
      </table>
    </TableWrap>
  );
}

/**
 * One statement: who pays whom in plain words (one row per counterparty, then the net), the issue and due dates
 * and the status; the downloads (for finance and admin); the lines that make the totals; the memo lines apart;
 * the content hash.
 */
export function StatementPage(props: { statement: IssuedStatement; summary: StatementSummary }) {
  const { statement, summary } = props;
  const i18n = useI18n();
  const { t } = i18n;
  const say = sayFor(i18n, statement.currency);
  const canDownload = useSignedIn().role !== "viewer";
  const { totals } = statement;
  return (
    <Layout title={t("statements.heading", { period: periodOf(i18n, statement) })} path="/portal/statements">
      <p class="muted">
        {statement.partner.name} · {statement.currency} · {t("statement.issuer")}: {t("statement.issuerName")}
      </p>
      <section class="statement-summary" aria-labelledby="summary-title">
        <h2 id="summary-title">{t("statement.summary")}</h2>
        {summary.counterparties.length > 0 ? (
          <ul class="balances">
            {summary.counterparties.map((balance) => (
              <li data-counterparty={balance.counterparty.id}>{balanceSentence(balance, say)}</li>
            ))}
          </ul>
        ) : null}
        <p class="net" data-net={summary.net_minor}>
          {netSentence(summary, say)}
        </p>
        <dl class="due">
          <div>
            <dt>{t("statements.issued")}</dt>
            <dd>{i18n.date(statement.created_at)}</dd>
          </div>
          <div>
            <dt>{t("statement.due")}</dt>
            <dd>{i18n.date(summary.due)}</dd>
          </div>
          <div>
            <dt>{t("statement.status")}</dt>
            <dd>
              <Status summary={summary} say={say} />
            </dd>
          </div>
        </dl>
        <p class="muted">{t("statement.dueRule", { days: paymentTermDays })}</p>
      </section>
      {canDownload ? (
        <div class="actions">
          <a class="button" href={`/portal/statements/${statement.id}.csv`} download>
            {t("statements.downloadCsv")}
          </a>
          <a class="button" href={`/portal/statements/${statement.id}.pdf`} download>
            {t("statements.downloadPdf")}
          </a>
        </div>
      ) : null}
      <h2>{t("statement.lines")}</h2>
      {summary.settling.length === 0 ? (
        <p>{t("statement.noLines")}</p>
      ) : (
        <>
          <p class="muted">{t("statements.signed")}</p>
          <Lines
            label={t("statement.lines")}
            lines={summary.settling}
            amountOf={signedAmountMinor}
            say={say}
            currency={statement.currency}
            totals={[
              [t("statement.total.receivable"), totals.receivable_minor, "receivable"],
              [t("statement.total.payable"), -totals.payable_minor, "payable"],
              [t("statement.total.net"), totals.net_amount_minor, "net"],
            ]}
          />
        </>
      )}
      {summary.memo.length > 0 ? (
        <div class="memo">
          <h2>{t("statement.memoLines")}</h2>
          <p class="muted">{t("statement.memoHelp")}</p>
          <Lines
            label={t("statement.memoLines")}
            lines={summary.memo}
            amountOf={(line) => line.amount_minor}
            say={say}
            currency={statement.currency}
            totals={[[t("statement.total.memo"), totals.memo_minor, "memo"]]}
          />
        </div>
      ) : null}
      <p>
        {t("statements.hash")}: <span class="hash">{statement.content_hash}</span>
      </p>
    </Layout>
  );
}
