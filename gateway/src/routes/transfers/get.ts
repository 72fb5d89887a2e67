import { createRoute } from "@hono/zod-openapi";
import { findTransferForPartner } from "../../domain/transfers/find";
import { callerPartnerId, requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { TransferIdParam, TransferSchema } from "./schemas";

export const route = createRoute({
  method: "get",
  path: "/v1/transfers/{id}",
  operationId: "getTransfer",
  tags: ["Transfers"],
  summary: "Get a transfer",
  description:
    "A transfer as it is now (a held one becomes `completed` or `rejected` by its review). For the partner that made " +
    "it and the program's owner; anyone else gets 404.",
  security: [{ bearerAuth: ["points:burn"] }, { bearerAuth: ["members:read"] }],
  middleware: [requireScope("points:burn", "members:read")] as const,
  request: { params: TransferIdParam },
  responses: {
    200: { description: "The transfer", content: { "application/json": { schema: TransferSchema } } },
    ...errorResponses(401, 403, 404),
  },
});

export type GetTransferRequest = OperationRequest<typeof route>;
export type GetTransferResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const transfer = await findTransferForPartner(c.get("deps").reader, c.req.valid("param").id, callerPartnerId(c));
    return c.json(TransferSchema.parse(transfer), 200);
  });
