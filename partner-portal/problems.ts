import { ApiError, type ErrorCode, type ProblemValue } from "../gateway/src/errors";
import type { I18n, MessageKey } from "./i18n";
import { catalogs } from "./i18n/catalog";

/**
 * Problems in words for people: every error code of the gateway as a sentence in the page's language (what
 * happened, what to do), naming the error's values formatted by the page's Intl; field errors of a form; and
 * translated labels of enum values. The API's problem JSON stays for programs; this is for the portal.
 */

/** The portal's own name for a variant of a code's message (`problem.<code>.<reason>` in the catalogue). */
type Reason<C extends ErrorCode> =
  Extract<MessageKey, `problem.${C}.${string}`> extends `problem.${C}.${infer R}` ? R : never;

/**
 * A problem the portal raises itself, worded by the catalogue's `problem.<code>.<reason>` when given a reason:
 * `portalProblem("forbidden", { reason: "csrf" })`. Its detail (for logs) is the message key.
 */
export function portalProblem<C extends ErrorCode>(
  code: C,
  options: { reason?: Reason<C>; values?: Record<string, ProblemValue>; headers?: Record<string, string> } = {},
): ApiError {
  const key = options.reason ? `problem.${code}.${options.reason}` : `problem.${code}`;
  return new ApiError(code, key, {
    headers: options.headers,
    values: { ...options.values, ...(options.reason ? { reason: options.reason } : {}) },
  });
}

/** Whether the error is the portal's refusal of a form whose CSRF token is missing or stale. */
export const isCsrfProblem = (error: ApiError) => error.code === "forbidden" && error.options.values?.reason === "csrf";

/** A wait, as people say it: "45 seconds", "15 minutes", "2 hours", in the page's language. */
export function duration(i18n: I18n, seconds: number): string {
  const [unit, size] = seconds < 90 ? ["second", 1] : seconds < 5400 ? ["minute", 60] : ["hour", 3600];
  return new Intl.NumberFormat(i18n.locale, { style: "unit", unit, unitDisplay: "long" }).format(
    Math.max(1, Math.round(seconds / (size as number))),
  );
}

/** A problem's value, formatted for the page: numbers and money by Intl, moments as dates, waits as durations. */
export function formatValue(i18n: I18n, value: ProblemValue): string {
  if (typeof value === "number") return i18n.number(value);
  if (typeof value === "string") return value;
  if (value instanceof Date) return i18n.dateTime(value);
  if ("seconds" in value) return duration(i18n, value.seconds);
  return i18n.money(value.amountMinor, value.currency);
}

/**
 * Everything the error says that a message may name: its typed values, the wait of a `Retry-After`, the fraud
 * rule it names. A value is formatted only when a message names it.
 */
function valuesOf(error: ApiError): Record<string, ProblemValue> {
  const retryAfter = Number(error.options.headers?.["Retry-After"]);
  return {
    ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { wait: { seconds: retryAfter } } : {}),
    ...error.options.values,
  };
}

/** The message variants that name a value, used when the error has it. */
const withValue: Partial<Record<ErrorCode, { key: MessageKey; needs: string }>> = {
  rate_limited: { key: "problem.rate_limited.wait", needs: "wait" },
  earn_limit_exceeded: { key: "problem.earn_limit_exceeded.wait", needs: "wait" },
  burn_limit_exceeded: { key: "problem.burn_limit_exceeded.wait", needs: "wait" },
  conversion_limit_exceeded: { key: "problem.conversion_limit_exceeded.wait", needs: "wait" },
  service_unavailable: { key: "problem.service_unavailable.wait", needs: "wait" },
  insufficient_points: { key: "problem.insufficient_points.available", needs: "available" },
};

const isMessageKey = (key: string): key is MessageKey => Object.hasOwn(catalogs.en, key);

/**
 * What went wrong and what to do, in the page's language. The message is, first found: the page's own for this
 * code (`instead`, e.g. `{ conflict: "credentials.alreadyRevoked" }`); the variant of the error's `reason`
 * (portalProblem); a detail that is already one of the catalogue's messages in this language (a route that
 * translated it); the code's variant naming a value the error carries; the code's message. Values are formatted
 * with the page's Intl.
 */
export function problemMessage(
  i18n: I18n,
  error: ApiError,
  instead: Partial<Record<ErrorCode, MessageKey>> = {},
): string {
  const values = valuesOf(error);
  const reasonKey = typeof values.reason === "string" ? `problem.${error.code}.${values.reason}` : "";
  const variant = withValue[error.code];
  let key: MessageKey = `problem.${error.code}` as const;
  if (instead[error.code]) key = instead[error.code] as MessageKey;
  else if (isMessageKey(reasonKey)) key = reasonKey;
  else if (isTranslated(i18n, error.detail)) return error.detail;
  else if (variant && values[variant.needs] !== undefined) key = variant.key;
  const formatted = Object.fromEntries(Object.entries(values).map(([name, value]) => [name, formatValue(i18n, value)]));
  return i18n.t(key, formatted);
}

/** Whether `text` is one of the catalogue's messages in the page's language, i.e. already said for people. */
const isTranslated = (i18n: I18n, text: string) => Object.values(catalogs[i18n.locale]).includes(text as never);

/** Enum values with a label in the catalogue under `prefix.` (e.g. `roleName`): the values that have one. */
export type LabelledValue<P extends string> =
  Extract<MessageKey, `${P}.${string}`> extends `${P}.${infer V}` ? V : never;

/**
 * A status or enum value in the page's language: `enumLabel(i18n, "roleName", session.role)` reads
 * `roleName.viewer`. The type accepts only values the catalogue labels, so a new value cannot show raw; an
 * area adds its own keys (`webhookOutcome.failed`, ...).
 */
export const enumLabel = <P extends string>(i18n: I18n, prefix: P, value: LabelledValue<P>): string =>
  i18n.t(`${prefix}.${value}` as MessageKey);

/** A problem of a form: its message, and the field at fault (its `name`), if one is. */
export type FormProblem = { field?: string; message: string };

/** What a form says about its fields: a label for each, and optionally its own words for any problem there. */
export type FieldSpecs = Record<string, { label: string; message?: string }>;

/** The gateway's English field messages that carry a bound, read back into a translated sentence. */
const boundPatterns: { pattern: RegExp; key: MessageKey; name: string }[] = [
  { pattern: /multiple of (\d+)/, key: "problems.field.step", name: "step" },
  { pattern: /(?:>=?|at least) ?(\d+)/, key: "problems.field.min", name: "min" },
  { pattern: /(?:<=?|at most) ?(\d+)/, key: "problems.field.max", name: "max" },
  { pattern: /required|received undefined|must not be empty/i, key: "problems.field.required", name: "" },
];

/** One field's message in the page's language: the form's own words, else the gateway's bound, translated. */
function fieldMessage(i18n: I18n, message: string, spec: { label: string; message?: string }): string {
  if (spec.message) return spec.message;
  for (const { pattern, key, name } of boundPatterns) {
    const found = pattern.exec(message);
    if (found) return i18n.t(key, { field: spec.label, [name]: i18n.number(Number(found[1])) });
  }
  return i18n.t("problems.field.invalid", { field: spec.label });
}

/**
 * A refused form's problems, for <ErrorSummary> and <Field>: a `validation_failed` error's `errors: [{ path,
 * message }]` become one problem per field of the form (in the page's language, linked to the field); other
 * errors become one message, put on the field that `blame` names for its code (e.g. `{ insufficient_points:
 * "from_points" }`). Paths that are not fields of the form go to the summary alone.
 */
export function formProblems(
  i18n: I18n,
  error: ApiError,
  fields: FieldSpecs,
  blame: Partial<Record<ErrorCode, string>> = {},
): FormProblem[] {
  const fieldErrors = error.code === "validation_failed" ? (error.options.errors ?? []) : [];
  const known = fieldErrors.filter((e) => Object.hasOwn(fields, e.path));
  if (known.length === 0) return [{ field: blame[error.code], message: problemMessage(i18n, error) }];
  return known.map((e) => ({
    field: e.path,
    message: fieldMessage(i18n, e.message, fields[e.path] ?? { label: e.path }),
  }));
}

/** The message for one field, if it has a problem. */
export const problemOf = (problems: FormProblem[] | undefined, field: string): string | undefined =>
  problems?.find((problem) => problem.field === field)?.message;
