import { createRoute, z } from "@hono/zod-openapi";
import { reportTableCsv } from "../../domain/reports/csv";
import { networkReport, networkTables } from "../../domain/reports/network";
import { defaultRangeDays } from "../../domain/reports/range";
import { requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { csvDescription, csvDownload, ReportRangeQuery, reportCsvQuery } from "./range";

const int = (description: string) => z.number().int().openapi({ description });

const NetworkReportSchema = z
  .object({
    timezone: z.literal("UTC").openapi({ description: "The network's dates are UTC days" }),
    from: z.iso.date().openapi({ description: "The range's first UTC date", example: "2026-11-01" }),
    to: z.iso.date().openapi({ description: "The range's last UTC date (included)", example: "2026-11-30" }),
    totals: z.object({
      conversions: int("Conversions completed in the range"),
      from_points: int("Points they took out of their source programs"),
      to_points: int("Points they credited in their destination programs"),
      fee_points: int("Their fees, in source points"),
    }),
    conversions: z
      .array(
        z.object({
          from_program_id: z.string(),
          from_program_name: z.string(),
          from_partner_id: z.string().openapi({ description: "The source program's owner" }),
          to_program_id: z.string(),
          to_program_name: z.string(),
          to_partner_id: z.string().openapi({ description: "The destination program's owner" }),
          conversions: int("Conversions from the one to the other completed in the range"),
          from_points: int("Source points they took, fees included"),
          to_points: int("Destination points they credited"),
          fee_points: int("Their fees, in source points"),
        }),
      )
      .openapi({
        description:
          "Per ordered program pair, the conversions completed in the range (when executed, or when approved " +
          "after a review hold), most source points first",
      }),
    settlements: z
      .array(
        z.object({
          period_id: z.string(),
          period_start: z.iso.datetime(),
          period_end: z.iso.datetime(),
          payer_partner_id: z.string(),
          payer_name: z.string().openapi({ description: "As the statement prints it" }),
          payee_partner_id: z.string(),
          payee_name: z.string().openapi({ description: "As the statement prints it" }),
          currency: z.string().openapi({ example: "USD" }),
          amount: z.string().openapi({ description: "amount_minor in major units", example: "1234.56" }),
          amount_minor: int("What the payer owes the payee for the period: its statement's payable lines to the payee"),
          lines: int("How many statement lines that sums"),
        }),
      )
      .openapi({
        description:
          "Per settlement period overlapping the range (whole periods), what each partner owes another in each " +
          "currency, from the issued statements (each line rounded once, half to even); by period, payer, payee",
      }),
  })
  .openapi("NetworkReport");

const rangeDescription =
  `\`from\` and \`to\` are UTC dates (YYYY-MM-DD), \`to\` included; without them, the last ${defaultRangeDays} days ` +
  "ending today. A date that is not a calendar day, or a `to` before `from`, answers 400 naming it.";
const what =
  "The operator's view of the network: points flowing between programs by conversions (per ordered program pair: " +
  "count, source points, destination points, fees) and money between partners per settlement period (payer, payee, " +
  "currency, amount). Operator only.";
const tables = Object.keys(networkTables) as [keyof typeof networkTables, ...(keyof typeof networkTables)[]];

export const route = createRoute({
  method: "get",
  path: "/v1/reports/network",
  operationId: "getNetworkReport",
  tags: ["Reports"],
  summary: "Get the network report",
  description: `${what}\n\n${rangeDescription}`,
  security: [{ bearerAuth: ["operator"] }],
  middleware: [requireScope("operator")] as const,
  request: { query: ReportRangeQuery },
  responses: {
    200: { description: "The report", content: { "application/json": { schema: NetworkReportSchema } } },
    ...errorResponses(400, 401, 403),
  },
});

export const csvRoute = createRoute({
  method: "get",
  path: "/v1/reports/network.csv",
  operationId: "downloadNetworkReportCsv",
  tags: ["Reports"],
  summary: "Download a table of the network report as CSV",
  description:
    `One table of the network report (\`table\`: ${tables.join(", ")}; each its JSON array of that name). ` +
    `${csvDescription}\n\n${rangeDescription}`,
  security: [{ bearerAuth: ["operator"] }],
  middleware: [requireScope("operator")] as const,
  request: { query: reportCsvQuery(tables) },
  responses: {
    200: { description: "The table", content: { "text/csv; charset=utf-8": { schema: z.string() } } },
    ...errorResponses(400, 401, 403),
  },
});

export type GetNetworkReportRequest = OperationRequest<typeof route>;
export type GetNetworkReportResponse = OperationResponse<typeof route>;
export type DownloadNetworkReportCsvRequest = OperationRequest<typeof csvRoute>;
export type DownloadNetworkReportCsvResponse = OperationResponse<typeof csvRoute>;

export const register = (app: ReturnType<typeof createRouter>) => {
  app.openapi(route, async (c) =>
    c.json(NetworkReportSchema.parse(await networkReport(c.get("deps"), c.req.valid("query"))), 200),
  );
  app.openapi(csvRoute, async (c) => {
    const { table, ...range } = c.req.valid("query");
    const report = NetworkReportSchema.parse(await networkReport(c.get("deps"), range));
    const file = csvDownload(
      reportTableCsv(networkTables, report, table),
      `network-${table}-${report.from}-${report.to}`,
    );
    return c.body(file.body, 200, file.headers);
  });
};
