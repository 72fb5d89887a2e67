import { lineAmountMinor } from "./money";
import type { Contribution, Direction, LineKind } from "./movements";

export type StatementLine = {
  kind: LineKind;
  direction: Direction;
  counterparty: { id: string; name: string } | null;
  program: { id: string; name: string };
  points: number;
  price_micros: number;
  amount_minor: number;
};

/** A statement as issued: what the JSON, CSV and PDF show, and what the content hash covers. */
export type StatementDocument = {
  id: string;
  period: { id: string; start: string; end: string };
  partner: { id: string; name: string };
  currency: string;
  lines: StatementLine[];
  totals: { receivable_minor: number; payable_minor: number; memo_minor: number; net_amount_minor: number };
  created_at: string;
};

const kindOrder: LineKind[] = [
  "points_issued",
  "bonus",
  "points_redeemed",
  "conversion_out",
  "conversion_in",
  "breakage",
  "adjustment",
];
const directionOrder: Direction[] = ["receivable", "payable", "memo"];

/**
 * Sums contributions into lines (one per kind, direction, counterparty, program and price) and prices each
 * line once, half to even; then one document per partner and currency, and an empty one (nothing owed either
 * way) for each `everyone` pair without movements, so every partner gets its statement every period. Lines
 * whose points net to zero (a movement and its full reversal) are left out.
 */
export function buildStatements(
  contributions: Contribution[],
  everyone: { partnerId: string; currency: string }[],
  context: {
    period: StatementDocument["period"];
    names: { partners: Map<string, string>; programs: Map<string, string> };
    newId: () => string;
    at: Date;
  },
): StatementDocument[] {
  const lines = new Map<string, Contribution>();
  for (const c of contributions) {
    const key = [c.partnerId, c.currency, c.kind, c.direction, c.counterpartyId, c.programId, c.priceMicros].join("|");
    const line = lines.get(key);
    if (line) line.points += c.points;
    else lines.set(key, { ...c });
  }
  const byStatement = new Map<string, Contribution[]>(everyone.map((e) => [`${e.partnerId}|${e.currency}`, []]));
  for (const line of lines.values()) {
    if (line.points === 0) continue;
    const key = `${line.partnerId}|${line.currency}`;
    byStatement.set(key, [...(byStatement.get(key) ?? []), line]);
  }
  const name = (map: Map<string, string>, id: string) => map.get(id) ?? id;
  return [...byStatement.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, group]) => {
      const [partnerId = "", currency = ""] = key.split("|");
      const statementLines = group
        .map(
          (line): StatementLine => ({
            kind: line.kind,
            direction: line.direction,
            counterparty: line.counterpartyId
              ? { id: line.counterpartyId, name: name(context.names.partners, line.counterpartyId) }
              : null,
            program: { id: line.programId, name: name(context.names.programs, line.programId) },
            points: line.points,
            price_micros: line.priceMicros,
            amount_minor: lineAmountMinor(line.points, line.priceMicros, line.currency),
          }),
        )
        .sort(
          (a, b) =>
            kindOrder.indexOf(a.kind) - kindOrder.indexOf(b.kind) ||
            directionOrder.indexOf(a.direction) - directionOrder.indexOf(b.direction) ||
            (a.counterparty?.name ?? "").localeCompare(b.counterparty?.name ?? "") ||
            a.program.name.localeCompare(b.program.name) ||
            a.price_micros - b.price_micros,
        );
      const total = (direction: Direction) =>
        statementLines.filter((l) => l.direction === direction).reduce((sum, l) => sum + l.amount_minor, 0);
      const receivable = total("receivable");
      const payable = total("payable");
      return {
        id: context.newId(),
        period: context.period,
        partner: { id: partnerId, name: name(context.names.partners, partnerId) },
        currency,
        lines: statementLines,
        totals: {
          receivable_minor: receivable,
          payable_minor: payable,
          memo_minor: total("memo"),
          net_amount_minor: receivable - payable,
        },
        created_at: context.at.toISOString(),
      };
    });
}
