import { createRoute, z } from "@hono/zod-openapi";
import { maxCodesPerUpload, uploadCodes } from "../../domain/rewards/codes";
import { requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { RewardIdParam } from "./schemas";

const UploadCodesBody = z
  .object({ codes: z.array(z.string().min(1).max(200)).min(1).max(maxCodesPerUpload) })
  .strict()
  .openapi("UploadRewardCodes", { example: { codes: ["GIFT-7KQ2-M9XD", "GIFT-P3ZT-84WA"] } });

const UploadedCodesSchema = z
  .object({
    added: z.number().int().openapi({ description: "Codes newly in the pool, available at once" }),
    duplicates: z.number().int().openapi({
      description: "Codes not added: already in the pool (whatever their status), or repeated within this upload",
    }),
  })
  .openapi("UploadedRewardCodes");

export const route = createRoute({
  method: "post",
  path: "/v1/rewards/{id}/codes",
  operationId: "uploadRewardCodes",
  tags: ["Rewards"],
  summary: "Add voucher codes to a code reward's pool",
  description:
    `Up to ${maxCodesPerUpload.toLocaleString("en")} codes of 1 to 200 characters, stored as sent, in one atomic ` +
    "write. A code already in the pool or repeated within the upload counts as a duplicate and is not added " +
    "again: each code is handed out at most once, ever, in the order uploaded. The reward's stock is its " +
    "available codes. 409 `invalid_state` unless the reward's fulfilment is `code`. For the program's owner " +
    "(`programs:manage`) and the operator.",
  security: [{ bearerAuth: ["operator"] }, { bearerAuth: ["programs:manage"] }],
  middleware: [requireScope("operator", "programs:manage")] as const,
  request: {
    params: RewardIdParam,
    body: { required: true, content: { "application/json": { schema: UploadCodesBody } } },
  },
  responses: {
    200: { description: "What was added", content: { "application/json": { schema: UploadedCodesSchema } } },
    ...errorResponses(400, 401, 403, 404, 409, 413, 415),
  },
});

export type UploadRewardCodesRequest = OperationRequest<typeof route>;
export type UploadRewardCodesResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const caller = { partnerId: c.get("principal")?.partnerId ?? null };
    const { codes } = c.req.valid("json");
    return c.json(await uploadCodes(c.get("deps"), caller, c.req.valid("param").id, codes), 200);
  });
