import type { ApiError } from "../../../gateway/src/errors";
import type { I18n } from "../../i18n";
import { duration, type FormProblem } from "../../problems";
import { formKeyField } from "./form-key";

/**
 * The refusals every member form that spends points words alike, at the top of the page with the typed values
 * kept: a form sent with a stale key or sent before with other values (send it again), and a limit on how often
 * points may be used (naming the wait when there is one). Anything else is not the member's to fix: its error page.
 */
export function memberRefusal(i18n: I18n, error: ApiError): FormProblem {
  const { t } = i18n;
  if (error.code === "idempotency_key_reused") return { message: t("memberActions.error.formUsed") };
  if (error.code === "validation_failed" && error.options.errors?.some((e) => e.path === formKeyField))
    return { message: t("memberActions.error.staleForm") };
  if (error.status === 429) {
    const wait = Number(error.options.headers?.["Retry-After"]);
    return {
      message:
        wait > 0
          ? t("memberActions.error.tooOftenWait", { wait: duration(i18n, wait) })
          : t("memberActions.error.tooOften"),
    };
  }
  throw error;
}
