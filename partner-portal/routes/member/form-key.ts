import { sha256Hex } from "../../../gateway/src/auth/secrets";
import { findIdempotencyKey } from "../../../gateway/src/db/queries/idempotency";
import type { Deps } from "../../../gateway/src/deps";
import type { CommittedResponse, IdempotencyRecord } from "../../../gateway/src/domain/ledger/movement";
import { ApiError } from "../../../gateway/src/errors";

/**
 * A member page's form that spends points carries a key made when the form was drawn (a hidden field), used as the
 * write's Idempotency-Key: sent twice (a double tap, a reload, Back and send again), it is written once and the
 * second answer is the first one's. The key is the session's partner's, as for the API, in its own namespace.
 */

/** The hidden field that carries a form's key. */
export const formKeyField = "form_key";

/** A new key, for a form being drawn. */
export const newFormKey = (): string => crypto.randomUUID();

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A form whose key is missing or not one we drew: the page draws it again with a new key. */
const staleForm = () =>
  new ApiError("validation_failed", "The form has no valid key; it is drawn again with a new one.", {
    errors: [{ path: formKeyField, message: "must be the key the form was drawn with" }],
  });

/** The first answer stored under the form's key, when it was for this same request; another request's: 422. */
async function earlierAnswer(deps: Pick<Deps, "reader">, record: IdempotencyRecord): Promise<string | undefined> {
  const stored = await findIdempotencyKey(deps.reader, record.partnerId, record.key);
  if (stored && stored.requestHash !== record.requestHash)
    throw new ApiError("idempotency_key_reused", "This form was already sent with other values.");
  return stored?.responseBody;
}

/**
 * Runs `write` once per form key and answers its response body: the stored one when the form was sent before with
 * the same `request` (what the member asked for, with whom they are), even while `write` loses to its own twin sent
 * at the same moment (its write refused on the key, or on the balance or stock the twin took).
 */
export async function submitOnce(
  deps: Pick<Deps, "reader">,
  form: { partnerId: string; key: string | undefined; request: Record<string, unknown> },
  write: (record: IdempotencyRecord) => Promise<CommittedResponse>,
): Promise<string> {
  if (!form.key || !uuid.test(form.key)) throw staleForm();
  const record: IdempotencyRecord = {
    partnerId: form.partnerId,
    key: `member-page:${form.key}`,
    requestHash: sha256Hex(JSON.stringify(form.request)),
  };
  const earlier = await earlierAnswer(deps, record);
  if (earlier !== undefined) return earlier;
  try {
    return (await write(record)).body;
  } catch (error) {
    const twin = await earlierAnswer(deps, record);
    if (twin !== undefined) return twin;
    throw error;
  }
}
