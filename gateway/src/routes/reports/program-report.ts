import { createRoute, z } from "@hono/zod-openapi";
import type { Deps } from "../../deps";
import type { Caller } from "../../domain/programs";
import { type ReportCell, reportTableCsv } from "../../domain/reports/csv";
import { requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import { ProgramIdPathParam } from "../tiers/schemas";
import { csvDescription, csvDownload, ReportRangeQuery, rangeDescription, reportCsvQuery } from "./range";

/** A program report as its JSON answers it: the head, and a row array per table. */
type ReportJson<Table extends string> = { program_id: string; from: string; to: string } & Record<
  Table,
  readonly Record<string, ReportCell>[]
>;

/**
 * The two operations of a program report, `GET /v1/programs/{program_id}/reports/<name>` (JSON) and `.csv` (one of
 * its tables), for the program's owner (`programs:manage`) and the operator, and their registration: the domain's
 * report answered through `schema`, and the CSV cut from that same answer, so the two cannot differ.
 */
export function programReport<Table extends string, Schema extends z.ZodType<ReportJson<Table>>>(spec: {
  /** The path's last segment: `tiers`, `touchpoints`... */
  name: string;
  /** The operations' word: `Tiers` makes `getTiersReport` and `downloadTiersReportCsv`. */
  operation: string;
  /** What the report holds and who may read it, for the document. */
  what: string;
  schema: Schema;
  /** Each table's CSV columns (the JSON names, in order); the first is the CSV's default. */
  tables: Record<Table, readonly string[]>;
  read: (
    deps: Deps,
    caller: Caller,
    programId: string,
    range: { from?: string; to?: string },
  ) => Promise<z.input<Schema>>;
}) {
  const tableNames = Object.keys(spec.tables) as [Table, ...Table[]];
  const common = {
    method: "get" as const,
    tags: ["Reports"],
    security: [{ bearerAuth: ["operator"] }, { bearerAuth: ["programs:manage"] }],
  };
  const route = createRoute({
    ...common,
    path: `/v1/programs/{program_id}/reports/${spec.name}`,
    operationId: `get${spec.operation}Report`,
    summary: `Get a program's ${spec.name} report`,
    description: `${spec.what}\n\n${rangeDescription}`,
    middleware: [requireScope("operator", "programs:manage")] as const,
    request: { params: ProgramIdPathParam, query: ReportRangeQuery },
    responses: {
      200: { description: "The report", content: { "application/json": { schema: spec.schema } } },
      ...errorResponses(400, 401, 403, 404),
    },
  });
  const csvRoute = createRoute({
    ...common,
    path: `/v1/programs/{program_id}/reports/${spec.name}.csv`,
    operationId: `download${spec.operation}ReportCsv`,
    summary: `Download a table of a program's ${spec.name} report as CSV`,
    description:
      `One table of the ${spec.name} report (\`table\`: ${tableNames.join(", ")}; each its JSON array of that name). ` +
      `${csvDescription}\n\n${rangeDescription}`,
    middleware: [requireScope("operator", "programs:manage")] as const,
    request: { params: ProgramIdPathParam, query: reportCsvQuery(tableNames) },
    responses: {
      200: { description: "The table", content: { "text/csv; charset=utf-8": { schema: z.string() } } },
      ...errorResponses(400, 401, 403, 404),
    },
  });
  const answer = async (deps: Deps, caller: Caller, programId: string, range: { from?: string; to?: string }) =>
    spec.schema.parse(await spec.read(deps, caller, programId, range)) as ReportJson<Table>;
  const register = (app: ReturnType<typeof createRouter>) => {
    app.openapi(route, async (c) => {
      const caller = { partnerId: c.get("principal")?.partnerId ?? null };
      return c.json(await answer(c.get("deps"), caller, c.req.valid("param").program_id, c.req.valid("query")), 200);
    });
    app.openapi(csvRoute, async (c) => {
      const caller = { partnerId: c.get("principal")?.partnerId ?? null };
      const { table, ...range } = c.req.valid("query");
      const report = await answer(c.get("deps"), caller, c.req.valid("param").program_id, range);
      const name = `${report.program_id}-${spec.name}-${table}-${report.from}-${report.to}`;
      const file = csvDownload(reportTableCsv(spec.tables, report, table), name);
      return c.body(file.body, 200, file.headers);
    });
  };
  return { route, csvRoute, register };
}
