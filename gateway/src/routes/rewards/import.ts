import { createRoute, z } from "@hono/zod-openapi";
import { importColumns, importRewards } from "../../domain/rewards/import";
import { requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import { csvBodyLimitBytes } from "../../http/middleware";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { ProgramIdPathParam } from "../segments/schemas";
import { rowChecks } from "./schemas";

const ImportResultSchema = z
  .object({
    created: z
      .number()
      .int()
      .openapi({ description: "Rewards created (or, with dry_run, that would be); 0 on errors" }),
    updated: z.number().int().openapi({ description: "Rewards changed (or that would be); 0 on errors" }),
    errors: z
      .array(
        z.object({
          line: z.number().int().openapi({
            description: "The file's line the row starts on: the header is 1, a quoted field over lines counts them",
          }),
          message: z.string().openapi({ example: "points_price: Too small: expected number to be >=1" }),
        }),
      )
      .openapi({ description: "Every problem of the file, by line; when there is any, nothing was written" }),
  })
  .openapi("RewardImportResult");

const example = [
  "sku,name,type,points_price,fulfilment,active,tiers,stock,name.pt-BR,description.ru",
  'GIFT-50,"Gift card 50, any store",voucher,5000,code,true,,,Vale-presente 50,Подарочная карта',
  "LOUNGE-1,Lounge pass,experience,12000,partner,true,gold|platinum,40,,",
].join("\n");

export const route = createRoute({
  method: "post",
  path: "/v1/programs/{program_id}/rewards/import",
  operationId: "importRewards",
  tags: ["Rewards"],
  summary: "Import a program's catalogue from a CSV product list",
  description:
    "A `text/csv` body (UTF-8, a byte order mark allowed, RFC 4180 quoting: quoted fields may hold commas, quotes " +
    'doubled as "" and line breaks) whose first line names the columns: the JSON fields of a reward (`sku`, ' +
    "`name`, `description`, `type`, `points_price`, `tiers`, `stock`, `per_member_limit`, `fulfilment`, " +
    "`fulfilling_partner_id`, `available_from`, `available_until`, `active`) and translations as `name.<locale>` " +
    "and `description.<locale>` (en, pt-BR, ru), in any order; an unknown column is an error on line 1. `tiers` " +
    "lists tier keys separated by `|` (`gold|platinum`), `active` is `true` or `false`, dates are ISO 8601. An " +
    "empty cell is an absent field. Rows are matched by `sku`: a new sku is created and checked as POST " +
    "/v1/programs/{program_id}/rewards checks a body, a known one is changed and checked as PATCH /v1/rewards/{id} " +
    "(its other translations kept). Every problem is answered with its line (the header is line 1; a row starts on " +
    "the line of its first field), and any problem writes nothing; otherwise all rows are written in one atomic " +
    "write. With `dry_run=true` the answer is the same and nothing is written. Cells are stored as sent, formula-" +
    `looking ones too (CSV exports neutralise them). Up to ${csvBodyLimitBytes.toLocaleString("en")} bytes ` +
    "(5,000 rows and more). For the program's owner (`programs:manage`) and the operator.",
  security: [{ bearerAuth: ["operator"] }, { bearerAuth: ["programs:manage"] }],
  middleware: [requireScope("operator", "programs:manage")] as const,
  request: {
    params: ProgramIdPathParam,
    query: z
      .object({
        dry_run: z.enum(["true", "false"]).optional().openapi({ description: "Check the file and write nothing" }),
      })
      .strict(),
    body: {
      required: true,
      content: { "text/csv": { schema: z.string().openapi({ example, description: importColumns.join(", ") }) } },
    },
  },
  responses: {
    200: {
      description: "What was (or would be) created and updated, or every problem of the file",
      content: { "application/json": { schema: ImportResultSchema } },
    },
    ...errorResponses(400, 401, 403, 404, 409, 413, 415),
  },
});

export type ImportRewardsRequest = OperationRequest<typeof route>;
export type ImportRewardsResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const caller = { partnerId: c.get("principal")?.partnerId ?? null };
    const dryRun = c.req.valid("query").dry_run === "true";
    const csv = await c.req.text();
    const result = await importRewards(c.get("deps"), caller, c.req.valid("param").program_id, csv, {
      dryRun,
      checks: rowChecks,
    });
    return c.json(result, 200);
  });
