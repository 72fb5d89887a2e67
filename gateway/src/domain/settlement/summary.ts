import type { StatementDocument, StatementLine } from "./statements";

/** Days after a statement's issue date by which it is to be paid (the due date is that whole UTC day). */
export const paymentTermDays = 15;

const dayMs = 86_400_000;

/** What one counterparty and the partner owe each other on a statement, netted: positive, it pays the partner. */
export type CounterpartyBalance = {
  counterparty: { id: string; name: string };
  receivable_minor: number;
  payable_minor: number;
  net_minor: number;
};

/**
 * `none`: nothing changes hands. `due`: to be paid by the due date, which has not passed. `overdue`: the due
 * date has passed. The gateway records no payments, so `overdue` says only that the date has passed.
 */
export type PaymentStatus = "none" | "due" | "overdue";

/** A statement read for people: who pays whom, the lines that make the totals, the memo lines, the due date. */
export type StatementSummary = {
  counterparties: CounterpartyBalance[];
  /** Lines that move money: their amounts sum to the net (receivable positive, payable negative). */
  settling: StatementLine[];
  /** Informational lines: the partner's own program, breakage, and lines whose amount rounds to zero. */
  memo: StatementLine[];
  net_minor: number;
  due: Date;
  status: PaymentStatus;
};

/** Whether a line moves money (and so counts in the net). */
export const isSettling = (line: StatementLine) => line.direction !== "memo" && line.amount_minor !== 0;

/** A line's effect on the net: receivable lines add, payable lines subtract, memo lines count nothing. */
export const signedAmountMinor = (line: StatementLine) =>
  line.direction === "receivable" ? line.amount_minor : line.direction === "payable" ? -line.amount_minor : 0;

/** The due date: the UTC day `paymentTermDays` after the issue date (its midnight, the day's start). */
export function dueDate(issuedAt: Date | string): Date {
  const issued = new Date(issuedAt).getTime();
  return new Date(issued - (issued % dayMs) + paymentTermDays * dayMs);
}

/** The status at `now`: nothing to settle, due until the due day is over, overdue after. */
export function paymentStatus(netMinor: number, issuedAt: Date | string, now: Date): PaymentStatus {
  if (netMinor === 0) return "none";
  return now.getTime() >= dueDate(issuedAt).getTime() + dayMs ? "overdue" : "due";
}

/** The statement summarised at `now`: one balance per counterparty (by name), the lines split, due and status. */
export function summarise(statement: StatementDocument, now: Date): StatementSummary {
  const settling = statement.lines.filter(isSettling);
  const balances = new Map<string, CounterpartyBalance>();
  for (const line of settling) {
    const counterparty = line.counterparty ?? { id: "", name: "" };
    const balance = balances.get(counterparty.id) ?? {
      counterparty,
      receivable_minor: 0,
      payable_minor: 0,
      net_minor: 0,
    };
    if (line.direction === "receivable") balance.receivable_minor += line.amount_minor;
    else balance.payable_minor += line.amount_minor;
    balance.net_minor += signedAmountMinor(line);
    balances.set(counterparty.id, balance);
  }
  const net = statement.totals.net_amount_minor;
  return {
    counterparties: [...balances.values()].sort((a, b) => a.counterparty.name.localeCompare(b.counterparty.name)),
    settling,
    memo: statement.lines.filter((line) => !isSettling(line)),
    net_minor: net,
    due: dueDate(statement.created_at),
    status: paymentStatus(net, statement.created_at, now),
  };
}

/**
 * A period as people name it, in `locale`, in UTC: a calendar month is "October 2026"; other whole days are a
 * range with the end shown inclusively (a period ending at 2026-11-01T00:00Z ends on 31 October); a period
 * that does not start and end at midnight shows its times (end exclusive) and "UTC".
 */
export function periodName(start: Date | string, end: Date | string, locale: string): string {
  const from = new Date(start);
  const until = new Date(end);
  const wholeDays = from.getTime() % dayMs === 0 && until.getTime() % dayMs === 0 && until > from;
  if (!wholeDays) {
    const format = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
    return `${format.formatRange(from, until)} UTC`;
  }
  const nextMonth = Date.UTC(from.getUTCFullYear(), from.getUTCMonth() + 1, 1);
  if (from.getUTCDate() === 1 && until.getTime() === nextMonth)
    return new Intl.DateTimeFormat(locale, { month: "long", year: "numeric", timeZone: "UTC" }).format(from);
  const days = new Intl.DateTimeFormat(locale, { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
  const last = new Date(until.getTime() - dayMs);
  return last.getTime() === from.getTime() ? days.format(from) : days.formatRange(from, last);
}
