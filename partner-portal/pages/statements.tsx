import type { IssuedStatement } from "../../gateway/src/domain/settlement/find";
import { formatMicros } from "../../gateway/src/domain/settlement/money";
import { Layout } from "../components/layout";
import { useI18n, useSignedIn } from "../render";

type Summary = { id: string; start: Date; end: Date; currency: string; netAmountMinor: number; createdAt: Date };

export function StatementsPage(props: { statements: Summary[] }) {
  const i18n = useI18n();
  const { t } = i18n;
  return (
    <Layout title={t("statements.title")} path="/portal/statements">
      {props.statements.length === 0 ? (
        <p>{t("statements.none")}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t("statements.period")}</th>
                <th scope="col">{t("statements.currency")}</th>
                <th scope="col" class="num">
                  {t("statements.net")}
                </th>
                <th scope="col">{t("statements.issued")}</th>
                <th scope="col">
                  <span class="muted">·</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {props.statements.map((s) => (
                <tr>
                  <td>{`${i18n.date(s.start)} – ${i18n.date(s.end)}`}</td>
                  <td>{s.currency}</td>
                  <td class="num">{i18n.money(s.netAmountMinor, s.currency)}</td>
                  <td>{i18n.dateTime(s.createdAt)}</td>
                  <td>
                    <a href={`/portal/statements/${s.id}`}>{t("statements.open")}</a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Layout>
  );
}

/** One statement: the downloads (for finance and admin), every line, the totals and the hash. */
export function StatementPage(props: { statement: IssuedStatement }) {
  const { statement } = props;
  const i18n = useI18n();
  const { t } = i18n;
  const money = (minor: number) => i18n.money(minor, statement.currency);
  const canDownload = useSignedIn().role !== "viewer";
  return (
    <Layout
      title={`${t("statements.title")}: ${i18n.date(statement.period.start)} – ${i18n.date(statement.period.end)}`}
      path="/portal/statements"
    >
      <p>
        {statement.partner.name} · {statement.currency}
      </p>
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
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t("statements.kind")}</th>
              <th scope="col">{t("statements.direction")}</th>
              <th scope="col">{t("statements.counterparty")}</th>
              <th scope="col">{t("statements.program")}</th>
              <th scope="col" class="num">
                {t("statements.points")}
              </th>
              <th scope="col" class="num">
                {t("statements.price")}
              </th>
              <th scope="col" class="num">
                {t("statements.amount")}
              </th>
            </tr>
          </thead>
          <tbody>
            {statement.lines.map((line) => (
              <tr>
                <td>{t(`kind.${line.kind}`)}</td>
                <td>{t(`statements.${line.direction}`)}</td>
                <td>{line.counterparty?.name ?? "—"}</td>
                <td>{line.program.name}</td>
                <td class="num">{i18n.number(line.points)}</td>
                <td class="num">{formatMicros(line.price_micros)}</td>
                <td class="num">{money(line.amount_minor)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            {(
              [
                ["statements.receivable", statement.totals.receivable_minor],
                ["statements.payable", statement.totals.payable_minor],
                ["statements.memo", statement.totals.memo_minor],
                ["statements.net", statement.totals.net_amount_minor],
              ] as const
            ).map(([key, minor]) => (
              <tr>
                <th scope="row" colspan={6}>
                  {t(key)}
                </th>
                <td class="num" data-total={key}>
                  {money(minor)}
                </td>
              </tr>
            ))}
          </tfoot>
        </table>
      </div>
      <p>
        {t("statements.hash")}: <span class="hash">{statement.content_hash}</span>
      </p>
    </Layout>
  );
}
