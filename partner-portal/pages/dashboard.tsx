import {
  type Change,
  changeOf,
  type DayRange,
  maxRangeDays,
  type Net,
  type PartnerDashboard,
  type ProgramKpis,
  type RangePreset,
  type RangeProblem,
  rangePresets,
} from "../../gateway/src/domain/kpis";
import { DailyChart } from "../components/daily-chart";
import { Layout } from "../components/layout";
import type { I18n } from "../i18n";
import { useI18n, useNow } from "../render";

type RangeForm = { preset: RangePreset | null; problems: RangeProblem[]; typed: { start: string; end: string } };

/**
 * The partner's dashboard: where the money stands first (liability, the open period's net and the last
 * statement's, in words), then the date range, then each program's figures against the range before and its
 * daily chart.
 */
export function DashboardPage(props: { dashboard: PartnerDashboard; form: RangeForm }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { dashboard, form } = props;
  return (
    <Layout title={t("dashboard.title")} path="/portal/dashboard">
      <Money dashboard={dashboard} />
      <RangePicker form={form} range={dashboard.range} />
      {dashboard.programs.length === 0 ? <p>{t("dashboard.noPrograms")}</p> : null}
      {dashboard.programs.map((kpis) => (
        <Program kpis={kpis} />
      ))}
    </Layout>
  );
}

/** "You owe $9.00", "You are owed $3.21", or even: a net in words. */
function netInWords(i18n: I18n, net: Net) {
  const amount = i18n.money(Math.abs(net.netMinor), net.currency);
  if (net.netMinor < 0) return i18n.t("dashboard.youOwe", { amount });
  if (net.netMinor > 0) return i18n.t("dashboard.youAreOwed", { amount });
  return i18n.t("dashboard.even", { amount });
}

/** A period's end is excluded: people name its last day, the day before. */
const lastDay = (end: Date) => new Date(end.getTime() - 1);

function Money(props: { dashboard: PartnerDashboard }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { open, last } = props.dashboard.settlement;
  const nets = (list: Net[], kind: string) =>
    list.map((net) => (
      <dd class={`net ${net.netMinor < 0 ? "owe" : net.netMinor > 0 ? "owed" : "even"}`} data-net={kind}>
        {netInWords(i18n, net)}
      </dd>
    ));
  return (
    <section aria-labelledby="money" class="money">
      <h2 id="money">{t("dashboard.money")}</h2>
      <dl class="cards">
        {props.dashboard.programs.map((kpis) => (
          <div class="card" data-kpi="kpi.liability">
            <dt>{t("kpi.liability")}</dt>
            <dd class="value">{i18n.money(kpis.liabilityMinor, kpis.currency)}</dd>
            <dd class="muted small">
              {t("dashboard.liabilityOf", { points: i18n.number(kpis.pointsHeld), program: kpis.name })}
            </dd>
          </div>
        ))}
        <div class="card" data-card="open-period">
          <dt>{t("dashboard.openPeriod")}</dt>
          {nets(open.nets, "open")}
          <dd class="muted small">
            {open.since ? t("dashboard.openSince", { date: i18n.dateTime(open.since) }) : t("dashboard.openFirst")}
          </dd>
        </div>
        <div class="card" data-card="last-statement">
          <dt>{t("dashboard.lastStatement")}</dt>
          {last ? nets(last.nets, "last") : <dd class="small">{t("dashboard.noStatement")}</dd>}
          {last ? (
            <dd class="muted small">
              {/* The period names the link: a second "Statements" link would compete with the navigation's. */}
              <a href="/portal/statements">
                {t("dashboard.lastPeriod", { start: i18n.date(last.start), end: i18n.date(lastDay(last.end)) })}
              </a>
            </dd>
          ) : null}
        </div>
      </dl>
    </section>
  );
}

/** Presets as links and a custom range as a GET form: it works without script and every range has a URL. */
function RangePicker(props: { form: RangeForm; range: DayRange }) {
  const i18n = useI18n();
  const { t } = i18n;
  const today = useNow().toISOString().slice(0, 10);
  const { form, range } = props;
  const problemOf = (field: RangeProblem["field"]) => form.problems.find((problem) => problem.field === field);
  const problemText = (problem: RangeProblem) =>
    t(`dashboard.problem.${problem.field}.${problem.problem}` as Parameters<I18n["t"]>[0], {
      today: i18n.date(today),
      max: i18n.number(maxRangeDays),
      days: i18n.number(Math.round((Date.parse(form.typed.end) - Date.parse(form.typed.start)) / 86_400_000) + 1 || 0),
    });
  const field = (name: "start" | "end", label: string) => {
    const problem = problemOf(name);
    return (
      <label>
        {label}
        <input
          type="date"
          name={name}
          value={form.problems.length > 0 ? form.typed[name] : range[name]}
          max={today}
          aria-invalid={problem ? "true" : undefined}
          aria-describedby={problem ? `range-${name}-error` : undefined}
        />
        {problem ? (
          <span class="field-error" id={`range-${name}-error`}>
            {problemText(problem)}
          </span>
        ) : null}
      </label>
    );
  };
  const showing = rangeText(i18n, range);
  return (
    <section aria-labelledby="range" class="range">
      <h2 id="range">{t("dashboard.range")}</h2>
      {form.problems.length > 0 ? (
        // Not <Alert>, a paragraph, which cannot hold the list.
        <div class="alert error" role="alert">
          <p>{t("dashboard.rangeRefused")}</p>
          <ul>
            {form.problems.map((problem) => (
              <li>
                <a href={`#range-${problem.field}`}>{problemText(problem)}</a>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <nav aria-label={t("dashboard.presets")}>
        <ul class="presets">
          {rangePresets.map((days) => (
            <li>
              <a
                class="button secondary"
                href={`/portal/dashboard?days=${days}`}
                aria-current={form.preset === days && form.problems.length === 0 ? "true" : undefined}
              >
                {t("dashboard.preset", { days })}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <form method="get" action="/portal/dashboard" class="custom-range" novalidate>
        <fieldset>
          <legend>{t("dashboard.custom")}</legend>
          <div class="fields">
            <span id="range-start">{field("start", t("dashboard.from"))}</span>
            <span id="range-end">{field("end", t("dashboard.to"))}</span>
            <button type="submit">{t("dashboard.show")}</button>
          </div>
        </fieldset>
      </form>
      <p class="showing" data-range={`${range.start}/${range.end}`}>
        {showing}
      </p>
    </section>
  );
}

function rangeText(i18n: I18n, range: DayRange) {
  const days = range.days;
  const start = Date.parse(`${range.start}T00:00:00Z`);
  const previousEnd = new Date(start - 86_400_000);
  const previousStart = new Date(start - days * 86_400_000);
  return i18n.t("dashboard.showing", {
    start: i18n.date(range.start),
    end: i18n.date(range.end),
    days: i18n.number(days),
    previousStart: i18n.date(previousStart),
    previousEnd: i18n.date(previousEnd),
  });
}

const arrows: Record<Change["direction"], string> = { up: "▲", down: "▼", same: "=", new: "▲" };

/** A figure's change against the previous range: an arrow and words, so colour is never the only cue. */
function ChangeLine(props: { current: number; previous: number; format: (value: number) => string; rate?: boolean }) {
  const i18n = useI18n();
  const { t } = i18n;
  const change = changeOf(props.current, props.previous);
  const previous = props.format(props.previous);
  let text: string;
  if (change.direction === "same") text = t("dashboard.change.same");
  else if (change.direction === "new") text = t("dashboard.change.new");
  else if (props.rate)
    text = t(`dashboard.rateChange.${change.direction}`, {
      points: i18n.number(Math.round(Math.abs(props.current - props.previous) * 1000) / 10),
      previous,
    });
  else text = t(`dashboard.change.${change.direction}`, { percent: i18n.percent(change.ratio), previous });
  return (
    <dd class={`change ${change.direction}`} data-change={change.direction}>
      <span aria-hidden="true">{arrows[change.direction]}</span> {text}
    </dd>
  );
}

function Program(props: { kpis: ProgramKpis }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { kpis } = props;
  const count = (value: number) => i18n.number(value);
  const figures = [
    ["kpi.issued", "issued", count],
    ["kpi.redeemed", "redeemed", count],
    ["kpi.convertedIn", "convertedIn", count],
    ["kpi.convertedOut", "convertedOut", count],
    ["kpi.activeMembers", "activeMembers", count],
    ["kpi.redemptionRate", "redemptionRate", i18n.percent],
  ] as const;
  return (
    <section aria-labelledby={`program-${kpis.programId}`}>
      <h2 id={`program-${kpis.programId}`}>{t("dashboard.figures", { program: kpis.name })}</h2>
      <dl class="cards">
        {figures.map(([key, field, format]) => (
          <div class="card" data-kpi={key}>
            <dt>{t(key)}</dt>
            <dd class="value">{format(kpis[field])}</dd>
            <ChangeLine
              current={kpis[field]}
              previous={kpis.previous[field]}
              format={format}
              rate={field === "redemptionRate"}
            />
          </div>
        ))}
      </dl>
      <DailyChart days={kpis.daily} />
    </section>
  );
}
