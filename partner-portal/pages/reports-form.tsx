import type { I18n } from "../i18n";
import { useI18n } from "../render";
import {
  maxDailyDays,
  maxRangeDays,
  type ReportRangeProblem,
  type ResolvedRange,
  reportIntervals,
  reportPresets,
} from "../routes/reports-range";

/** The programs a manager may pick, and the one shown. */
export type ProgramChoice = { id: string; name: string };

/** A query string of the parameters that have a value. */
export const queryOf = (params: Record<string, string | undefined>) =>
  new URLSearchParams(
    Object.entries(params).filter((entry): entry is [string, string] => entry[1] !== undefined),
  ).toString();

/** A link to the reports page, or one of its files, with its query. */
export const reportsHref = (path: string, params: Record<string, string | undefined>) => {
  const query = queryOf(params);
  return `/portal/reports${path}${query ? `?${query}` : ""}`;
};

/** A problem of the typed range, in words. */
const problemText = (i18n: I18n, problem: ReportRangeProblem, today: string) =>
  i18n.t(`reports.problem.${problem.field}.${problem.problem}` as Parameters<I18n["t"]>[0], {
    today: i18n.date(today),
    max: i18n.number(maxRangeDays),
    daily: i18n.number(maxDailyDays),
  });

/**
 * What the reports show, as a plain GET form to `action` (so every view is a URL and no script is needed): the
 * program (when there is a `picker`), the first and last days, and the interval (unless `days` only); the presets
 * are links carrying the program. A range that cannot be used is said at the top (linking to each field) and beside
 * its field, with what was typed kept.
 */
export function ReportForm(props: {
  action: string;
  picker?: { programs: ProgramChoice[]; program: ProgramChoice };
  resolved: ResolvedRange;
  today: string;
  daysOnly?: boolean;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const { resolved, today, picker } = props;
  const refused = resolved.problems.length > 0;
  const problemOf = (field: ReportRangeProblem["field"]) => resolved.problems.find((p) => p.field === field);
  const shown = refused ? resolved.typed : resolved.range;
  const described = (field: ReportRangeProblem["field"]) => {
    const problem = problemOf(field);
    return {
      "aria-invalid": problem ? ("true" as const) : undefined,
      "aria-describedby": problem ? `report-${field}-error` : undefined,
      error: problem ? (
        <span class="field-error" id={`report-${field}-error`}>
          {problemText(i18n, problem, today)}
        </span>
      ) : null,
    };
  };
  const day = (field: "from" | "to", label: string) => {
    const { error, ...aria } = described(field);
    return (
      <label id={`report-${field}`}>
        {label}
        <input type="date" name={field} value={shown[field]} max={today} {...aria} />
        {error}
      </label>
    );
  };
  const interval = described("interval");
  return (
    <section aria-labelledby="report-range" class="range report-range">
      <h2 id="report-range">{t("reports.range")}</h2>
      {refused ? (
        <div class="alert error" role="alert">
          <p>{t("reports.rangeRefused")}</p>
          <ul>
            {resolved.problems.map((problem) => (
              <li>
                <a href={`#report-${problem.field}`}>{problemText(i18n, problem, today)}</a>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <nav aria-label={t("reports.presets")}>
        <ul class="presets">
          {(Object.keys(reportPresets) as (keyof typeof reportPresets)[]).map((preset) => (
            <li>
              <a
                class="button secondary"
                href={`${props.action}?${queryOf({ program: picker?.program.id, preset })}`}
                aria-current={resolved.preset === preset && !refused ? "true" : undefined}
              >
                {t(`reports.preset.${preset}`)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <form method="get" action={props.action} class="report-form" novalidate>
        <fieldset>
          <legend>{t(props.daysOnly ? "reports.chooseDays" : "reports.choose")}</legend>
          <div class="fields">
            {picker ? (
              <label>
                {t("reports.program")}
                <select name="program">
                  {picker.programs.map((choice) => (
                    <option value={choice.id} selected={choice.id === picker.program.id}>
                      {choice.name}
                    </option>
                  ))}
                </select>
              </label>
            ) : null}
            {day("from", t("reports.from"))}
            {day("to", t("reports.to"))}
            {props.daysOnly ? null : (
              <label id="report-interval">
                {t("reports.interval")}
                <select
                  name="interval"
                  aria-invalid={interval["aria-invalid"]}
                  aria-describedby={interval["aria-describedby"]}
                >
                  {reportIntervals.map((value) => (
                    <option value={value} selected={value === resolved.range.interval}>
                      {t(`reports.interval.${value}`)}
                    </option>
                  ))}
                </select>
                {interval.error}
              </label>
            )}
            <button type="submit">{t("reports.show")}</button>
          </div>
        </fieldset>
      </form>
    </section>
  );
}
