import { createRoute, z } from "@hono/zod-openapi";
import { statementContentTypes, statementFile } from "../../domain/settlement/file";
import { findStatement } from "../../domain/settlement/find";
import { isStatementLocale, statementMessages } from "../../domain/settlement/wording";
import { ApiError } from "../../errors";
import { preferredLanguage } from "../../http/accept-language";
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
      "RFC 4180, UTF-8 with a byte order mark. First the lines under a header row: `amount` and `amount_minor` are " +
      "signed from the partner's side (owed to it positive, owed by it negative), so the `amount` column sums exactly " +
      "to the net; memo lines leave them empty and carry `memo_amount`. Then a blank row and the summary under its " +
      "own header (`summary,counterparty,direction,amount,amount_minor,due_date,status`): a row per counterparty, " +
      "the totals, and the `net` row with the due date (15 days after issue) and the status now (`none`, `due`, " +
      "`overdue`). Cells that would start a spreadsheet formula are neutralised (plain numbers are left as they are).",
    schema: z.string(),
  },
  pdf: {
    type: statementContentTypes.pdf,
    summary: "Download a statement as PDF",
    description:
      "Issuer, partner, period, issue and due dates, status, who pays whom, the lines, the memo lines apart, the " +
      "totals, the content hash and page numbers; in the language `lang` names, else the best of `Accept-Language` " +
      "(`pt` and `pt-PT` read pt-BR, `ru-RU` ru), else English. The PDF embeds a subset of DejaVu Sans, so names in Latin, Cyrillic, Greek and many other scripts " +
      "print as written (characters it lacks, such as CJK, print as `?`; the CSV and JSON are exact). The " +
      "language never changes the statement's `content_hash`.",
    schema: z.string().openapi({ format: "binary" }),
  },
} as const;

const languages = Object.keys(statementMessages) as [
  keyof typeof statementMessages,
  ...(keyof typeof statementMessages)[],
];
const LanguageQuery = z.object({
  lang: z
    .enum(languages)
    .optional()
    .openapi({ description: "The PDF's language (default: from `Accept-Language`, else `en`)", example: "pt-BR" }),
});

const downloadRoute = (format: keyof typeof formats) =>
  createRoute({
    method: "get",
    path: `/v1/settlements/{id}.${format}`,
    operationId: format === "csv" ? "downloadSettlementCsv" : "downloadSettlementPdf",
    tags: ["Settlements"],
    summary: formats[format].summary,
    description: formats[format].description,
    security: [{ bearerAuth: ["settlements:read"] }, { bearerAuth: ["operator"] }],
    request: format === "pdf" ? { params: StatementIdParam, query: LanguageQuery } : { params: StatementIdParam },
    responses: {
      200: {
        description: "The statement file",
        content: { [formats[format].type]: { schema: formats[format].schema } },
      },
      ...(format === "pdf" ? errorResponses(400, 401, 403, 404) : errorResponses(401, 403, 404)),
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
        const lang = format === "pdf" ? c.req.query("lang") : undefined;
        if (lang !== undefined && !isStatementLocale(lang))
          throw new ApiError("validation_failed", `No PDF language ${lang}.`, {
            errors: [{ path: "lang", message: `must be one of ${languages.join(", ")}` }],
          });
        const statement = await findStatement(c.get("deps"), id, c.get("principal")?.partnerId ?? null);
        const locale =
          format === "pdf" ? (lang ?? preferredLanguage(c.req.header("Accept-Language"), languages)) : undefined;
        const file = await statementFile(statement, format, { now: c.get("deps").clock.now(), locale });
        // The PDF's words follow the header when `lang` does not say: caches must keep one copy per language.
        return c.body(file.body, 200, format === "pdf" ? { ...file.headers, Vary: "Accept-Language" } : file.headers);
      },
    );
  }
};
