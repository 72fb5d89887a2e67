import { text } from "node:stream/consumers";
import autocannon, { type Request } from "autocannon";
import type { LoadJob, LoadResult } from "./drive";
import { scenarioRequests } from "./scenarios";

/**
 * Child process of the bench (see drive.ts for why): reads one LoadJob as JSON on stdin, runs autocannon
 * against it, prints a LoadResult as JSON on stdout.
 */
const job = JSON.parse(await text(process.stdin)) as LoadJob;

const samples: Record<string, string> = {};
const onResponse = (status: number, body: string) => {
  if ((status < 200 || status >= 300) && !samples[status]) samples[status] = body.slice(0, 400);
};
const requests: Request[] =
  job.kind === "hello"
    ? [{ method: "GET", path: "/hello" }]
    : scenarioRequests(job.kind, job.target).map((request) => ({ ...request, onResponse }));

const result = await autocannon({
  url: job.kind === "hello" ? job.url : job.target.url,
  connections: job.connections,
  duration: job.seconds,
  requests,
});

const statusCodes = Object.fromEntries(
  Object.entries(result.statusCodeStats ?? {}).map(([status, stats]) => [status, stats.count ?? 0]),
);
const summary: LoadResult = {
  rps: result.requests.average,
  total: result.requests.total,
  p50: result.latency.p50,
  p99: result.latency.p99,
  errors: result.errors,
  timeouts: result.timeouts,
  non2xx: result.non2xx,
  statusCodes,
  samples,
};
process.stdout.write(JSON.stringify(summary));
