import { idempotency } from "../../../http/idempotency";
import { NewCredentialSchema } from "../schemas";

/**
 * How an operation that makes a credential answers (creating one, rotating one): 201 with the new pair, the
 * only time its secret is shown, so an Idempotency-Key replay answers the same credential with the secret null.
 */
export const newCredentialIdempotency = idempotency({
  required: false,
  atomic: false,
  redact: (body) => ({ ...body, client_secret: null }),
});

export const newCredentialResponse = {
  description: "The new credential with its secret",
  content: { "application/json": { schema: NewCredentialSchema } },
};
