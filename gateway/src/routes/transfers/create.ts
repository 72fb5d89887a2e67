import { createRoute } from "@hono/zod-openapi";
import { createTransfer } from "../../domain/transfers/create";
import { requireScope } from "../../http/auth";
import { committedResponse } from "../../http/committed";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import { idempotency } from "../../http/idempotency";
import { RequiredIdempotencyHeader } from "../../http/idempotency-header";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { movementTarget } from "../transactions/movement";
import { CreateTransferBody, TransferSchema } from "./schemas";

export const route = createRoute({
  method: "post",
  path: "/v1/transfers",
  operationId: "createTransfer",
  tags: ["Transfers"],
  summary: "Transfer points between members",
  description:
    "Gives `points` of one member to another member of the same program, under the program's transfer rules, in one " +
    "atomic write: the sender's `transfer_out`, the receiver's `transfer_in` and the fee " +
    "(`fee_points = ceil(points * fee_bps / 10000)`, kept by the program; the receiver gets `points - fee_points`). " +
    "Answers 403 `transfers_disabled` while the program's rules are off, 400 for a transfer to oneself, below the " +
    "minimum or leaving nothing after the fee, 403 `not_eligible` while the sender has been a member for less than " +
    "`min_membership_days`, 409 `insufficient_points`, and 409 `limit_exceeded` when the sender would pass its " +
    "monthly maximum (the calendar month in the program's time zone; reaching it exactly is allowed). The sender's " +
    "velocity rules and the program's review threshold apply as to a burn: a held transfer answers 202 `held` with " +
    "its `review_id`, the points reserved. Sends `points.transferred` to the program's owner and to you once " +
    "completed. Needs an agreement that allows burning. Requires `Idempotency-Key`.",
  security: [{ bearerAuth: ["points:burn"] }],
  middleware: [requireScope("points:burn"), idempotency({ required: true, atomic: true })] as const,
  request: {
    headers: RequiredIdempotencyHeader,
    body: { required: true, content: { "application/json": { schema: CreateTransferBody } } },
  },
  responses: {
    201: { description: "The completed transfer", content: { "application/json": { schema: TransferSchema } } },
    202: {
      description: "Held for review: the points are reserved in the sender's hold",
      content: { "application/json": { schema: TransferSchema } },
    },
    ...errorResponses(400, 401, 403, 404, 409, 415, 422, 429),
  },
});

export type CreateTransferRequest = OperationRequest<typeof route>;
export type CreateTransferResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const body = c.req.valid("json");
    const { partnerId, access } = await movementTarget(
      c,
      { program_id: body.program_id, external_id: body.from_external_id },
      "burn",
    );
    const result = await createTransfer(
      c.get("deps"),
      { access, partnerId, toExternalId: body.to_external_id, points: body.points, reference: body.reference },
      c.get("idempotency"),
    );
    return committedResponse(c, result);
  });
