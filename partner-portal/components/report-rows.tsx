import { scaleLinear } from "d3-scale";
import { fillOf, gridLine, ink } from "./daily-chart";
import { barName, Decoration, Drawing, type DrawingProps, inside } from "./report-drawing";

/**
 * The two sizes of a chart of named bars. Wide: the names in a column on the left, a row of 28 units (about 40 px
 * on a desktop) a group. Narrow (under 720 px): each name above its bars, across a phone's width, in rows of 50
 * units; 14 units there are drawn at 11 px or more. Both grow with the groups.
 */
const sizes = {
  wide: { width: 720, font: 12, labelWidth: 200, row: 28, bar: 16, above: 0, ticks: 4 },
  narrow: { width: 360, font: 14, labelWidth: 0, row: 50, bar: 18, above: 22, ticks: 3 },
} as const;
const margin = { top: 8, right: 8, bottom: 24 };

/** A name cut to `chars` characters, with an ellipsis: the bar's link and the table give it in full. */
const cut = (text: string, chars: number) => (text.length > chars ? `${text.slice(0, chars - 1)}…` : text);

/**
 * A report's groups as rows (a channel, a store, a promotion, a tier): its name, a bar per series from zero (a
 * negative value to the left), the value written after it, and each bar a link to the transactions behind it when
 * it has them, whose target is its share of the whole row.
 */
export function ReportRows<K extends string>(props: DrawingProps<K> & { name: keyof typeof sizes }) {
  const { groups, series, i18n } = props;
  const size = sizes[props.name];
  const { width, font } = size;
  const id = `${props.id}-${props.name}`;
  const thickness = size.bar / series.length;
  const rowHeight = size.row + (series.length - 1) * 8;
  const height = margin.top + groups.length * rowHeight + margin.bottom;
  const bottom = height - margin.bottom;
  const values = groups.flatMap((group) => series.map(({ key }) => group.values[key]));
  // Room after the bars for the longest value, at about 0.6 em a character.
  const longest = Math.max(...values.map((value) => props.format(value).length));
  const x = scaleLinear()
    .domain([Math.min(0, ...values), Math.max(1, ...values)])
    .nice(size.ticks)
    .range([size.labelWidth + 4, width - margin.right - Math.ceil(longest * font * 0.6) - 10]);
  // About 0.62 em a character, so that a name of wide letters still fits its column.
  const labelChars = Math.floor((size.labelWidth || width) / (font * 0.62));
  const rowTop = (index: number) => margin.top + index * rowHeight;
  const barTop = (index: number, at: number) =>
    rowTop(index) + (size.above || (rowHeight - size.bar) / 2) + at * thickness;
  return (
    <Drawing id={id} name={props.name} width={width} height={height} title={props.title} desc={props.desc}>
      <Decoration>
        {x
          .ticks(size.ticks)
          .filter(Number.isInteger)
          .map((tick) => (
            <>
              <line x1={x(tick)} x2={x(tick)} y1={margin.top} y2={bottom} stroke={gridLine} />
              <text
                x={inside(x(tick), props.tick(tick), font, width)}
                y={bottom + font + 4}
                text-anchor="middle"
                font-size={font}
                fill={ink}
              >
                {props.tick(tick)}
              </text>
            </>
          ))}
        {groups.map((group, index) => (
          <>
            <text
              x={size.labelWidth ? size.labelWidth - 6 : 0}
              y={size.labelWidth ? rowTop(index) + rowHeight / 2 + font / 3 : rowTop(index) + font + 2}
              text-anchor={size.labelWidth ? "end" : "start"}
              font-size={font}
              fill={ink}
            >
              {cut(group.tick, labelChars)}
            </text>
            {series.map(({ key }, at) => (
              <text
                x={Math.max(x(0), x(group.values[key])) + 4}
                y={barTop(index, at) + thickness / 2 + font / 3}
                font-size={font}
                fill={ink}
              >
                {props.format(group.values[key])}
              </text>
            ))}
          </>
        ))}
        <line x1={x(0)} x2={x(0)} y1={margin.top} y2={bottom} stroke={ink} />
      </Decoration>
      {groups.map((group, index) => (
        <g data-group={group.key}>
          {series.map((one, at) => {
            const value = group.values[one.key];
            const bar = (
              <rect
                class={`bar ${one.key}`}
                x={Math.min(x(0), x(value))}
                y={barTop(index, at)}
                width={Math.abs(x(value) - x(0))}
                height={thickness}
                fill={fillOf(at, `${id}-stripes`)}
              />
            );
            const href = group.hrefs?.[one.key];
            if (!href) return bar;
            return (
              <a href={href} aria-label={barName(i18n, group, one, props.format(value))} data-series={one.key}>
                <rect
                  class="hit"
                  x={0}
                  y={rowTop(index) + (at * rowHeight) / series.length}
                  width={width}
                  height={rowHeight / series.length}
                  fill="transparent"
                />
                {bar}
              </a>
            );
          })}
        </g>
      ))}
    </Drawing>
  );
}
