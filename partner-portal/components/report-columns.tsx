import { scaleBand, scaleLinear } from "d3-scale";
import { fillOf, gridLine, ink, drawings as sizes } from "./daily-chart";
import { barName, Decoration, Drawing, type DrawingProps, inside } from "./report-drawing";

/**
 * A report's groups along the bottom (a bucket of time each), at the dashboard chart's two sizes (components/
 * daily-chart.tsx: labels drawn at 11 px or more, the narrow one under 720 px), a bar per series: gridlines with compact values, a
 * few group labels, and each bar a link to the transactions behind it. A link's target is its bar's whole column
 * (an unpainted rectangle over the plot's height), so a bar of a few points is as easy to reach as a tall one; a
 * negative value (more reversed than earned in a bucket) is drawn down from zero.
 */
export function ReportColumns<K extends string>(props: DrawingProps<K> & { name: keyof typeof sizes }) {
  const { groups, series, i18n } = props;
  const size = sizes[props.name];
  const { width, height, font } = size;
  const id = `${props.id}-${props.name}`;
  const values = groups.flatMap((group) => series.map(({ key }) => group.values[key]));
  const y = scaleLinear()
    .domain([Math.min(0, ...values), Math.max(1, ...values)])
    .nice(size.yTicks)
    .range([height - size.margin.bottom, size.margin.top]);
  const ticks = y
    .ticks(size.yTicks)
    .filter(Number.isInteger)
    .map((tick) => ({ tick, label: props.tick(tick) }));
  // Room on the left for the longest value, at about 0.6 em a character.
  const longest = Math.max(...ticks.map(({ label }) => label.length));
  const margin = { ...size.margin, left: Math.max(size.margin.left, Math.ceil(longest * font * 0.6) + 10) };
  const x = scaleBand()
    .domain(groups.map((group) => group.key))
    .range([margin.left, width - margin.right])
    .padding(0.2);
  const barWidth = x.bandwidth() / series.length;
  const every = Math.max(1, Math.ceil(groups.length / size.xLabels));
  const top = margin.top;
  const bottom = height - margin.bottom;
  return (
    <Drawing id={id} name={props.name} width={width} height={height} title={props.title} desc={props.desc}>
      <Decoration>
        {ticks.map(({ tick, label }) => (
          <>
            <line x1={margin.left} x2={width - margin.right} y1={y(tick)} y2={y(tick)} stroke={gridLine} />
            <text x={margin.left - 6} y={y(tick) + font / 3} text-anchor="end" font-size={font} fill={ink}>
              {label}
            </text>
          </>
        ))}
        {groups.map((group, index) =>
          index % every === 0 ? (
            <text
              x={inside((x(group.key) ?? 0) + x.bandwidth() / 2, group.tick, font, width)}
              y={bottom + font + 6}
              text-anchor="middle"
              font-size={font}
              fill={ink}
            >
              {group.tick}
            </text>
          ) : null,
        )}
        <line x1={margin.left} x2={width - margin.right} y1={y(0)} y2={y(0)} stroke={ink} />
      </Decoration>
      {groups.map((group) => (
        <g data-group={group.key}>
          {series.map((one, at) => {
            const value = group.values[one.key];
            const left = (x(group.key) ?? 0) + at * barWidth;
            const bar = (
              <rect
                class={`bar ${one.key}`}
                x={left}
                y={Math.min(y(0), y(value))}
                width={barWidth}
                height={Math.abs(y(0) - y(value))}
                fill={fillOf(at, `${id}-stripes`)}
              />
            );
            const href = group.hrefs?.[one.key];
            if (!href) return bar;
            return (
              <a href={href} aria-label={barName(i18n, group, one, props.format(value))} data-series={one.key}>
                <rect class="hit" x={left} y={top} width={barWidth} height={bottom - top} fill="transparent" />
                {bar}
              </a>
            );
          })}
        </g>
      ))}
    </Drawing>
  );
}
