import type { JSX } from "hono/jsx";
import { type FormProblem, problemOf } from "../problems";
import { useI18n } from "../render";

/**
 * Field errors as GOV.UK shows them, without script: an error summary at the top of the page linking to each
 * field at fault, and each field marked (aria-invalid, its message named by aria-describedby, a thick border
 * and a bar beside it, so colour is never the only sign), with what the user typed kept in it.
 */

/** The id of a form field, which the summary links to. Pages with two forms give each its own `idPrefix`. */
export const fieldId = (name: string, idPrefix = "field") => `${idPrefix}-${name}`;

/**
 * The attributes that mark a control as being at fault, for controls <Field> does not draw (a select, a
 * textarea): put them on the control and <FieldMessage> before it.
 */
export function fieldAttributes(name: string, problems: FormProblem[] | undefined, idPrefix?: string, hint?: boolean) {
  const id = fieldId(name, idPrefix);
  const error = problemOf(problems, name);
  const describedBy = [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ");
  return {
    id,
    name,
    "aria-invalid": error ? ("true" as const) : undefined,
    "aria-describedby": describedBy || undefined,
  };
}

/** A field's error message, if it has one, prefixed for screen readers. */
export function FieldMessage(props: { name: string; problems?: FormProblem[]; idPrefix?: string }) {
  const { t } = useI18n();
  const error = problemOf(props.problems, props.name);
  if (!error) return null;
  return (
    <p class="field-error" id={`${fieldId(props.name, props.idPrefix)}-error`}>
      <span class="visually-hidden">{t("problems.errorPrefix")} </span>
      {error}
    </p>
  );
}

type InputProps = Omit<JSX.IntrinsicElements["input"], "id" | "name" | "aria-invalid" | "aria-describedby">;

/**
 * A labelled input that shows its problem: `<Field name="email" label={t("login.email")} type="email"
 * value={typed.email} problems={problems} />`. Every other attribute goes to the input.
 */
export function Field(
  props: InputProps & { name: string; label: string; hint?: string; problems?: FormProblem[]; idPrefix?: string },
) {
  const { name, label, hint, problems, idPrefix, ...input } = props;
  const attributes = fieldAttributes(name, problems, idPrefix, Boolean(hint));
  return (
    <div class={attributes["aria-invalid"] ? "field invalid" : "field"}>
      <label for={attributes.id}>{label}</label>
      {hint ? (
        <p class="hint" id={`${attributes.id}-hint`}>
          {hint}
        </p>
      ) : null}
      <FieldMessage name={name} problems={problems} idPrefix={idPrefix} />
      <input {...input} {...attributes} />
    </div>
  );
}

/**
 * The problems of a refused form, at the top of the page: announced (role="alert") and focused on load, each
 * linking to its field. Nothing when there is none.
 */
export function ErrorSummary(props: { problems?: FormProblem[]; idPrefix?: string }) {
  const { t } = useI18n();
  const problems = props.problems ?? [];
  if (problems.length === 0) return null;
  return (
    <div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex={-1} autofocus>
      <h2 id="error-summary-title">{t("problems.summary")}</h2>
      <ul>
        {problems.map((problem) => (
          <li>
            {problem.field ? (
              <a href={`#${fieldId(problem.field, props.idPrefix)}`}>{problem.message}</a>
            ) : (
              problem.message
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
