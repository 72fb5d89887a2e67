import type { Checks } from "./soak-check";
import type { Delivery } from "./soak-checks-events";
import type { traffic } from "./soak-client";
import type { Incarnation } from "./soak-gateway";
import type { Kill } from "./soak-killer";
import type { OpLog } from "./soak-log";
import type { RssSample } from "./soak-memory";
import { opKinds } from "./soak-ops";
import type { Receiver } from "./soak-receiver";
import type { SoakSettings } from "./soak-settings";
import type { Workload } from "./soak-workload";

const n = (value: number) => Math.round(value).toLocaleString("en-US");
const mb = (kb: number | undefined) => (kb === undefined ? "-" : `${(kb / 1024).toFixed(0)} MB`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Rows as aligned columns: numbers to the right, the first column (and `wordsLast`, a last column of words) to the left. */
function table(rows: (string | number)[][], wordsLast = false): string {
  const cells = rows.map((row) => row.map((cell) => (typeof cell === "number" ? n(cell) : cell)));
  const widths = (cells[0] ?? []).map((_, column) => Math.max(...cells.map((row) => (row[column] ?? "").length)));
  return cells
    .map((row) => {
      const left = (column: number) => column === 0 || (wordsLast && column === row.length - 1);
      return `  ${row.map((cell, column) => (left(column) ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join("  ")}`;
    })
    .join("\n");
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

/** Ops by kind and outcome: acknowledged, refused (by code), 5xx, and those whose first try got no answer. */
function opsTable(log: OpLog): string {
  const rows: (string | number)[][] = [
    ["kind", "ops", "2xx", "refused", "5xx", "retried", "of which replayed", "refusals by code"],
  ];
  for (const [k, kind] of opKinds.entries()) {
    let ops = 0;
    let ok = 0;
    let server = 0;
    let retried = 0;
    let replayed = 0;
    const codes = new Map<string, number>();
    for (let i = 0; i < log.ops; i++) {
      if (log.kinds[i] !== k) continue;
      ops += 1;
      const status = log.statuses[i] as number;
      if (log.acknowledged(i)) ok += 1;
      else if (status >= 500) server += 1;
      else codes.set(`${status} ${log.codes.get(i)}`, (codes.get(`${status} ${log.codes.get(i)}`) ?? 0) + 1);
      if ((log.unanswered[i] as number) > 0) {
        retried += 1;
        if (log.replayed[i]) replayed += 1;
      }
    }
    const refused = [...codes.values()].reduce((sum, count) => sum + count, 0);
    const byCode = [...codes]
      .sort((a, b) => b[1] - a[1])
      .map(([code, count]) => `${code} ${n(count)}`)
      .join(", ");
    rows.push([kind, ops, ok, refused, server, retried, replayed, byCode]);
  }
  return table(rows, true);
}

/** RSS of each incarnation of the gateway, first and last reading, and the quiet last stretch in tenths. */
function memoryTables(incarnations: Incarnation[], samples: RssSample[], quietFrom: number, total: number): string {
  const rows: (string | number)[][] = [
    ["#", "pid", "from op", "to op", "ready after", "RSS first", "RSS last", "RSS max"],
  ];
  for (const [index, incarnation] of incarnations.entries()) {
    const own = samples.filter((sample) => sample.pid === incarnation.pid);
    rows.push([
      String(index + 1),
      String(incarnation.pid),
      incarnation.opsAtStart,
      own.at(-1)?.ops ?? incarnation.opsAtStart,
      seconds(incarnation.readyAfterMs),
      mb(own[0]?.rssKb),
      mb(own.at(-1)?.rssKb),
      mb(Math.max(...own.map((sample) => sample.rssKb))),
    ]);
  }
  // The workload's part of the last incarnation from the quiet stretch on (to the first reading once every op is done),
  // in tenths, then the last reading, after the outbox drained.
  const own = samples.filter((sample) => sample.pid === incarnations.at(-1)?.pid);
  const end = own.findIndex((sample) => sample.ops >= total);
  const quiet = own.slice(0, end === -1 ? undefined : end + 1).filter((sample) => sample.ops >= quietFrom);
  const stretch: (string | number)[][] = [["ops done", "at", "RSS"]];
  for (let tenth = 0; tenth <= 10; tenth++) {
    const sample = quiet[Math.floor((tenth * (quiet.length - 1)) / 10)];
    if (sample) stretch.push([sample.ops, seconds(sample.atMs), mb(sample.rssKb)]);
  }
  const drained = own.at(-1);
  if (drained) stretch.push(["outbox drained", seconds(drained.atMs), mb(drained.rssKb)]);
  return `${table(rows)}\n\nThe last stretch without kills (from op ${n(quietFrom)}), the last incarnation:\n${table(stretch)}`;
}

function checksTable(checks: Checks): string {
  const rows: (string | number)[][] = [["invariant", "checked", "violations"]];
  for (const check of checks.all) rows.push([check.name, check.checked, check.violations]);
  const examples = checks.all
    .filter((check) => check.violations > 0)
    .map((check) => `  ${check.name}:\n${check.examples.map((example) => `    ${example}`).join("\n")}`);
  return [table(rows), ...examples].join("\n");
}

export function soakReport(input: {
  settings: SoakSettings;
  file: string;
  setupMs: number;
  workloadMs: number;
  totalMs: number;
  log: OpLog;
  kills: Kill[];
  traffic: typeof traffic;
  workload: Workload;
  receiver: Receiver;
  delivery: Delivery;
  drainMs: number;
  checksMs: number;
  checks: Checks;
  incarnations: Incarnation[];
  samples: RssSample[];
}): string {
  const { settings, log, kills, workload, receiver, delivery } = input;
  const inFlight = kills.map((kill) => kill.inFlight);
  const quietFrom = Math.floor(settings.ops * (1 - settings.quietShare));
  return [
    `Crash soak, seed ${settings.seed}: ${n(settings.ops)} ops on ${settings.connections} connections, ${kills.length} kills (SIGKILL); ${input.file}`,
    `Set-up ${seconds(input.setupMs)}; workload ${seconds(input.workloadMs)} = ${n(settings.ops / (input.workloadMs / 1000))} ops/s; in all ${seconds(input.totalMs)}`,
    "",
    "Ops (retried: the first try got no answer; replayed: the answer to a later try was the first's, Idempotent-Replayed)",
    opsTable(log),
    "",
    `Kills: ${kills.length}; requests in flight at a kill: min ${Math.min(...inFlight)}, median ${median(inFlight)}, max ${Math.max(...inFlight)}; ` +
      `down (kill to answering) median ${seconds(median(kills.map((kill) => kill.downMs)))}, max ${seconds(Math.max(...kills.map((kill) => kill.downMs)))}`,
    `Tries without an answer: ${n(input.traffic.unanswered)}; 409 idempotency_in_flight: ${n(input.traffic.keyInFlight)}; 429: ${n(input.traffic.rateLimited)}; tokens issued: ${n(input.traffic.tokens)}`,
    `Acknowledged requests sent again with their key: ${n(workload.replays.checked)}, answers differing from the first: ${n(workload.replays.differing.length)}`,
    `5xx answers: ${n(workload.serverErrors.length)}${workload.serverErrors
      .slice(0, 10)
      .map((error) => `\n  ${error}`)
      .join("")}`,
    "",
    `Events: ${n(delivery.events)} in the outbox; deliveries ${JSON.stringify(delivery.deliveries)}; attempts ${n(delivery.attempts)} (${n(delivery.failedAttempts)} failed${delivery.failures.map((failure) => `; ${n(failure.n)} ${failure.why}`).join("")}), ` +
      `${n(delivery.retriedDeliveries)} deliveries took more than one attempt; the receiver verified ${n(receiver.stats.deliveries)} deliveries ` +
      `(${n(receiver.stats.duplicates)} of an event already received), ${n(receiver.received.size)} distinct events; the outbox drained ${seconds(input.drainMs)} after the workload`,
    "",
    `Invariants (checked on the stopped file in ${seconds(input.checksMs)})`,
    checksTable(input.checks),
    "",
    "Gateway resident memory (VmRSS), each incarnation",
    memoryTables(input.incarnations, input.samples, quietFrom, settings.ops),
  ].join("\n");
}
