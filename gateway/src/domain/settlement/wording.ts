import { formatMoney } from "./money";
import type { CounterpartyBalance, StatementSummary } from "./summary";

/**
 * The words of a statement, in every language the portal speaks: the PDF writer uses them directly, and the
 * portal merges them into its catalogue (partner-portal/i18n/areas/statements.ts), so a page and its PDF say
 * the same. `{name}`-style placeholders, as in the portal's `t`.
 */
const en = {
  "statement.title": "Settlement statement",
  "statement.issuer": "Issuer",
  "statement.issuerName": "Coalition operator",
  "statement.partner": "Partner",
  "statement.period": "Period",
  "statement.currency": "Currency",
  "statement.id": "Statement",
  "statement.issued": "Issued",
  "statement.due": "Due date",
  "statement.status": "Status",
  "statement.summary": "Who pays whom",
  "statement.youPay": "You pay {name} {amount}",
  "statement.paysYou": "{name} pays you {amount}",
  "statement.even": "You and {name} are even",
  "statement.netYouPay": "Net: you pay {amount}",
  "statement.netYouPayName": "Net: you pay {name} {amount}",
  "statement.netPaysYou": "Net: {name} pays you {amount}",
  "statement.netYouReceive": "Net: you receive {amount}",
  "statement.nothing": "Nothing to settle",
  "statement.status.none": "Nothing to pay",
  "statement.status.due": "Due by {date}",
  "statement.status.overdue": "Overdue: it was due by {date}",
  "statement.dueRule": "Payment is due {days} days after the statement is issued.",
  "statement.lines": "Lines that make the totals",
  "statement.noLines": "No money changes hands in this period.",
  "statement.memoLines": "Memo lines (not in the totals)",
  "statement.memoHelp":
    "Points in your own program, expired points and amounts that round to zero: shown for reference.",
  "statement.kind": "Kind",
  "statement.direction": "Direction",
  "statement.counterparty": "Counterparty",
  "statement.program": "Program",
  "statement.points": "Points",
  "statement.price": "Price per point",
  "statement.amount": "Amount",
  "statement.kind.points_issued": "Points issued",
  // Short enough for the PDF's kind column (106 pt at 8 pt), which cuts longer words with "..." in every language;
  // that these are tier and promotion bonuses the API's description of the line kind says.
  "statement.kind.bonus": "Bonus points issued",
  "statement.kind.points_redeemed": "Points redeemed",
  "statement.kind.conversion_out": "Conversions out",
  "statement.kind.conversion_in": "Conversions in",
  "statement.kind.breakage": "Breakage (expired)",
  "statement.kind.adjustment": "Adjustments (net)",
  "statement.direction.receivable": "Owed to you",
  "statement.direction.payable": "You owe",
  "statement.direction.memo": "Memo",
  "statement.total.receivable": "Owed to you",
  "statement.total.payable": "You owe",
  "statement.total.memo": "Memo (not paid)",
  "statement.total.net": "Net",
  "statement.page": "Page {page} of {pages}",
  "statement.hash": "SHA-256 of the statement document: {hash}",
};

export type StatementMessageKey = keyof typeof en;

const ptBR: Record<StatementMessageKey, string> = {
  "statement.title": "Extrato de liquidação",
  "statement.issuer": "Emissor",
  "statement.issuerName": "Operador da coalizão",
  "statement.partner": "Parceiro",
  "statement.period": "Período",
  "statement.currency": "Moeda",
  "statement.id": "Extrato",
  "statement.issued": "Emitido em",
  "statement.due": "Vencimento",
  "statement.status": "Situação",
  "statement.summary": "Quem paga a quem",
  "statement.youPay": "Você paga {amount} para {name}",
  "statement.paysYou": "{name} paga {amount} para você",
  "statement.even": "Você e {name} estão quites",
  "statement.netYouPay": "Saldo: você paga {amount}",
  "statement.netYouPayName": "Saldo: você paga {amount} para {name}",
  "statement.netPaysYou": "Saldo: {name} paga {amount} para você",
  "statement.netYouReceive": "Saldo: você recebe {amount}",
  "statement.nothing": "Nada a acertar",
  "statement.status.none": "Nada a pagar",
  "statement.status.due": "Vence em {date}",
  "statement.status.overdue": "Em atraso: venceu em {date}",
  "statement.dueRule": "O pagamento vence {days} dias após a emissão do extrato.",
  "statement.lines": "Lançamentos que formam os totais",
  "statement.noLines": "Nenhum valor muda de mãos neste período.",
  "statement.memoLines": "Lançamentos informativos (fora dos totais)",
  "statement.memoHelp":
    "Pontos do seu próprio programa, pontos expirados e valores que arredondam para zero: apenas para consulta.",
  "statement.kind": "Tipo",
  "statement.direction": "Sentido",
  "statement.counterparty": "Contraparte",
  "statement.program": "Programa",
  "statement.points": "Pontos",
  "statement.price": "Preço por ponto",
  "statement.amount": "Valor",
  "statement.kind.points_issued": "Pontos emitidos",
  "statement.kind.bonus": "Pontos de bônus emitidos",
  "statement.kind.points_redeemed": "Pontos resgatados",
  "statement.kind.conversion_out": "Conversões de saída",
  "statement.kind.conversion_in": "Conversões de entrada",
  "statement.kind.breakage": "Pontos expirados",
  "statement.kind.adjustment": "Ajustes (líquidos)",
  "statement.direction.receivable": "A receber",
  "statement.direction.payable": "A pagar",
  "statement.direction.memo": "Informativo",
  "statement.total.receivable": "A receber",
  "statement.total.payable": "A pagar",
  "statement.total.memo": "Informativo (não pago)",
  "statement.total.net": "Saldo",
  "statement.page": "Página {page} de {pages}",
  "statement.hash": "SHA-256 do documento do extrato: {hash}",
};

const ru: Record<StatementMessageKey, string> = {
  "statement.title": "Расчётная выписка",
  "statement.issuer": "Составитель",
  "statement.issuerName": "Оператор коалиции",
  "statement.partner": "Партнёр",
  "statement.period": "Период",
  "statement.currency": "Валюта",
  "statement.id": "Выписка",
  "statement.issued": "Выпущена",
  "statement.due": "Срок оплаты",
  "statement.status": "Статус",
  "statement.summary": "Кто кому платит",
  "statement.youPay": "Вы платите {name} {amount}",
  "statement.paysYou": "{name} платит вам {amount}",
  "statement.even": "С {name} вы в расчёте",
  "statement.netYouPay": "Итого: вы платите {amount}",
  "statement.netYouPayName": "Итого: вы платите {name} {amount}",
  "statement.netPaysYou": "Итого: {name} платит вам {amount}",
  "statement.netYouReceive": "Итого: вы получаете {amount}",
  "statement.nothing": "Расчётов нет",
  "statement.status.none": "Платить нечего",
  "statement.status.due": "Оплатить до {date}",
  "statement.status.overdue": "Просрочено: срок был {date}",
  "statement.dueRule": "Срок оплаты — {days} дней после выпуска выписки.",
  "statement.lines": "Строки, из которых складываются итоги",
  "statement.noLines": "В этом периоде денег никто никому не должен.",
  "statement.memoLines": "Справочные строки (не входят в итоги)",
  "statement.memoHelp": "Баллы вашей собственной программы, сгоревшие баллы и суммы, округлённые до нуля.",
  "statement.kind": "Вид",
  "statement.direction": "Направление",
  "statement.counterparty": "Контрагент",
  "statement.program": "Программа",
  "statement.points": "Баллы",
  "statement.price": "Цена балла",
  "statement.amount": "Сумма",
  "statement.kind.points_issued": "Начисленные баллы",
  "statement.kind.bonus": "Начисленные бонусы",
  "statement.kind.points_redeemed": "Списанные баллы",
  "statement.kind.conversion_out": "Исходящие конвертации",
  "statement.kind.conversion_in": "Входящие конвертации",
  "statement.kind.breakage": "Сгоревшие баллы",
  "statement.kind.adjustment": "Корректировки (нетто)",
  "statement.direction.receivable": "Вам должны",
  "statement.direction.payable": "Вы должны",
  "statement.direction.memo": "Справочно",
  "statement.total.receivable": "Вам должны",
  "statement.total.payable": "Вы должны",
  "statement.total.memo": "Справочно (не оплачивается)",
  "statement.total.net": "Итого",
  "statement.page": "Страница {page} из {pages}",
  "statement.hash": "SHA-256 документа выписки: {hash}",
};

export const statementMessages = { en, "pt-BR": ptBR, ru };
export type StatementLocale = keyof typeof statementMessages;
export const isStatementLocale = (value: string | undefined): value is StatementLocale =>
  value !== undefined && Object.hasOwn(statementMessages, value);

/** What the sentences below need: the messages, money in the statement's currency, and dates. */
export type Say = {
  t: (key: StatementMessageKey, values?: Record<string, string | number>) => string;
  money: (minor: number) => string;
  date: (value: Date | string) => string;
};

/** A `Say` in `locale` for a statement in `currency`, with Intl (dates in UTC). */
export function sayIn(locale: StatementLocale, currency: string): Say {
  const messages = statementMessages[locale];
  const date = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" });
  return {
    t: (key, values = {}) =>
      messages[key].replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? `{${name}}`)),
    money: (minor) => formatMoney(locale, minor, currency),
    date: (value) => date.format(new Date(value)),
  };
}

/** One counterparty's row from the partner's side: "You pay SkyWays $112.55", "FreshCart pays you $3.21". */
export function balanceSentence(balance: CounterpartyBalance, say: Say): string {
  const name = balance.counterparty.name;
  if (balance.net_minor === 0) return say.t("statement.even", { name });
  const amount = say.money(Math.abs(balance.net_minor));
  return say.t(balance.net_minor < 0 ? "statement.youPay" : "statement.paysYou", { name, amount });
}

/** The net in words: with one counterparty it is named ("Net: SkyWays pays you $3.21"). */
export function netSentence(summary: StatementSummary, say: Say): string {
  const net = summary.net_minor;
  if (net === 0) return say.t("statement.nothing");
  const amount = say.money(Math.abs(net));
  const only = summary.counterparties.length === 1 ? summary.counterparties[0]?.counterparty.name : undefined;
  if (net < 0)
    return only ? say.t("statement.netYouPayName", { name: only, amount }) : say.t("statement.netYouPay", { amount });
  return only ? say.t("statement.netPaysYou", { name: only, amount }) : say.t("statement.netYouReceive", { amount });
}

/** The status in words: "Due by Nov 15, 2026", "Overdue: it was due by ...", "Nothing to pay". */
export function statusSentence(summary: Pick<StatementSummary, "status" | "due">, say: Say): string {
  return say.t(`statement.status.${summary.status}`, { date: say.date(summary.due) });
}
