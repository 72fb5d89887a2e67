import { createRoute, z } from "@hono/zod-openapi";
import { statementContentTypes, statementFile } from "../../domain/settlement/file";
import { findStatement } from "../../domain/settlement/find";
import { requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { StatementIdParam } from "./schemas";

const formats = {
  csv: {
    type: statementContentTypes.csv,
    summary: "Download a statement as CSV",
    description:
      "RFC 4180, UTF-8 with a byte order mark, a header row; one row per line, then the totals. Amounts are unsigned " +
      "with a `direction` column; cells that would start a spreadsheet formula are neutralised.",
    schema: z.string(),
  },
  pdf: {
    type: statementContentTypes.pdf,
    summary: "Download a statement as PDF",
    description: "Partner, period, lines, totals and the content hash.",
    schema: z.string().openapi({ format: "binary" }),
  },
} as const;

const downloadRoute = (format: keyof typeof formats) =>
  createRoute({
    method: "get",
    path: `/v1/settlements/{id}.${format}`,
    operationId: format === "csv" ? "downloadSettlementCsv" : "downloadSettlementPdf",
    tags: ["Settlements"],
    summary: formats[format].summary,
    description: formats[format].description,
    security: [{ bearerAuth: ["settlements:read"] }, { bearerAuth: ["operator"] }],
    request: { params: StatementIdParam },
    responses: {
      200: {
        description: "The statement file",
        content: { [formats[format].type]: { schema: formats[format].schema } },
      },
      ...errorResponses(401, 403, 404),
    },
  });

export const csvRoute = downloadRoute("csv");
export const pdfRoute = downloadRoute("pdf");

export type DownloadSettlementCsvRequest = OperationRequest<typeof csvRoute>;
export type DownloadSettlementCsvResponse = OperationResponse<typeof csvRoute>;
export type DownloadSettlementPdfRequest = OperationRequest<typeof pdfRoute>;
export type DownloadSettlementPdfResponse = OperationResponse<typeof pdfRoute>;

/**
 * Registered by hand with a pattern for the id: the `.csv`/`.pdf` suffix is part of the path, which Hono's
 * `:id` would otherwise swallow.
 */
export const register = (app: ReturnType<typeof createRouter>) => {
  for (const [format, route] of [
    ["csv", csvRoute],
    ["pdf", pdfRoute],
  ] as const) {
    app.openAPIRegistry.registerPath(route);
    app.get(
      `/v1/settlements/:file{stm_[0-9a-z]+\\.${format}}`,
      requireScope("settlements:read", "operator"),
      async (c) => {
        const id = c.req.param("file").slice(0, -`.${format}`.length);
        const statement = await findStatement(c.var.deps, id, c.var.principal?.partnerId ?? null);
        const file = await statementFile(statement, format);
        return c.body(file.body, 200, file.headers);
      },
    );
  }
};
