import { createMiddleware } from "hono/factory";
import { ApiError, type FieldError, fieldPath } from "../errors";
import type { AppEnv } from "./context";

/** C0 controls but tab, line feed and carriage return; DEL; C1 controls. NUL is the one that truncates. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is this pattern's job.
const controlCharacter = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

/**
 * A cheap look at the JSON text first: C0 controls can only be there as escapes (`\u0000`, `\b`, `\f`), since
 * JSON forbids them raw in strings; DEL and C1 may also be raw. Only when one may be present is the body walked,
 * so the answer can name each field. (An escaped backslash before `u0000` matches too; the walk then finds
 * nothing.)
 */
const maybeControl = /\\(?:u00[01][0-9a-f]|u007f|u00[89][0-9a-f]|[bf])|[\u007f-\u009f]/i;

/**
 * Refuses JSON bodies whose strings hold control characters, with 400 `validation_failed` naming each field.
 * SQLite's C API would store such a string cut at its first NUL while the answer echoed it whole; no field of
 * this API needs a control character other than tab and line breaks.
 */
export const refuseControlCharacters = createMiddleware<AppEnv>(async (c, next) => {
  if (!["POST", "PUT", "PATCH"].includes(c.req.method)) return next();
  const text = await c.req.text();
  if (!maybeControl.test(text)) return next();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return next(); // the route's validation names the syntax error
  }
  const errors = findControlCharacters(body, []);
  if (errors.length === 0) return next();
  throw new ApiError("validation_failed", `The request body has ${errors.length} field(s) with control characters.`, {
    errors,
  });
});

function findControlCharacters(value: unknown, path: (string | number)[]): FieldError[] {
  if (typeof value === "string")
    return controlCharacter.test(value)
      ? [{ path: fieldPath(path) || "body", message: "must not contain control characters (such as NUL)" }]
      : [];
  if (Array.isArray(value)) return value.flatMap((item, index) => findControlCharacters(item, [...path, index]));
  if (typeof value === "object" && value !== null)
    return Object.entries(value).flatMap(([key, item]) => findControlCharacters(item, [...path, key]));
  return [];
}
