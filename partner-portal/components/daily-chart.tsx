import { scaleBand, scaleLinear } from "d3-scale";
import { useI18n } from "../render";

type Day = { day: string; issued: number; redeemed: number };

const width = 720;
const height = 240;
const margin = { top: 16, right: 12, bottom: 28, left: 56 };

/**
 * Points issued and redeemed per day as grouped bars, rendered to SVG on the server (scales from d3-scale;
 * no script, so it shows on any phone and prints). Each bar has a <title> for pointer and screen readers.
 */
export function DailyChart(props: { days: Day[] }) {
  const { days } = props;
  const i18n = useI18n();
  const { t } = i18n;
  const x = scaleBand()
    .domain(days.map((d) => d.day))
    .range([margin.left, width - margin.right])
    .padding(0.2);
  const max = Math.max(1, ...days.flatMap((d) => [d.issued, d.redeemed]));
  const y = scaleLinear()
    .domain([0, max])
    .nice()
    .range([height - margin.bottom, margin.top]);
  const half = x.bandwidth() / 2;
  const bar = (value: number) => Math.max(0, y(0) - y(Math.max(0, value)));
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby="chart-title">
        <title id="chart-title">{t("chart.title")}</title>
        {y
          .ticks(4)
          .filter(Number.isInteger)
          .map((tick) => (
            <g>
              <line x1={margin.left} x2={width - margin.right} y1={y(tick)} y2={y(tick)} class="grid" />
              <text x={margin.left - 6} y={y(tick) + 4} text-anchor="end" class="axis">
                {i18n.number(tick)}
              </text>
            </g>
          ))}
        {days.map((d, index) => {
          const left = x(d.day) ?? 0;
          return (
            <g>
              <rect class="issued" x={left} y={y(Math.max(0, d.issued))} width={half} height={bar(d.issued)}>
                <title>{`${i18n.date(d.day)}: ${t("chart.issued")} ${i18n.number(d.issued)}`}</title>
              </rect>
              <rect
                class="redeemed"
                x={left + half}
                y={y(Math.max(0, d.redeemed))}
                width={half}
                height={bar(d.redeemed)}
              >
                <title>{`${i18n.date(d.day)}: ${t("chart.redeemed")} ${i18n.number(d.redeemed)}`}</title>
              </rect>
              {index % 7 === 0 ? (
                <text x={left + half} y={height - 8} text-anchor="middle" class="axis">
                  {i18n.date(d.day)}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
      <figcaption>
        <span class="key issued" /> {t("chart.issued")} <span class="key redeemed" /> {t("chart.redeemed")}
      </figcaption>
    </figure>
  );
}
