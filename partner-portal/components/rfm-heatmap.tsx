import { segmentGrid } from "../../gateway/src/domain/rfm/segments";
import type { RfmView } from "../../gateway/src/domain/rfm/view";
import { enumLabel } from "../problems";
import { useI18n } from "../render";
import { TableWrap } from "./table";

/**
 * The heat map's colours: white for an empty cell, then from a pale to a dark blue as a cell holds more members.
 * A number's colour is black or white, whichever contrasts more with its cell: one of them is always 4.58:1 or
 * more (WCAG 1.4.3), whatever the blue. An empty cell's 0 is the page's muted grey (5.9:1 on white).
 */
const heatColors = { empty: "#ffffff", low: "#d1e0ff", high: "#0b2d7a", edge: "#98a2b3", muted: "#5b6575" };

type Rgb = [number, number, number];
const rgbOf = (hex: string): Rgb => [1, 3, 5].map((at) => Number.parseInt(hex.slice(at, at + 2), 16)) as Rgb;
const hexOf = (rgb: Rgb) => `#${rgb.map((channel) => Math.round(channel).toString(16).padStart(2, "0")).join("")}`;

/** WCAG's relative luminance of a colour. */
function luminance(rgb: Rgb) {
  const [r, g, b] = rgb.map((channel) => {
    const c = channel / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as Rgb;
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** A cell's fill and its number's colour: `members` of the fullest cell's `max`, 1 palest, `max` darkest. */
function cellColors(members: number, max: number): { fill: string; text: string } {
  if (members === 0) return { fill: heatColors.empty, text: heatColors.muted };
  const share = max > 1 ? (members - 1) / (max - 1) : 1;
  const [low, high] = [rgbOf(heatColors.low), rgbOf(heatColors.high)];
  const fill = low.map((channel, index) => channel + ((high[index] ?? 0) - channel) * share) as Rgb;
  const light = luminance(fill);
  // Against white (1.05 / (L + 0.05)) or black ((L + 0.05) / 0.05): the larger ratio.
  return { fill: hexOf(fill), text: 1.05 / (light + 0.05) >= (light + 0.05) / 0.05 ? "#ffffff" : "#000000" };
}

/** The drawing's box: a cell of 56 units, room on the left for the rows' title and labels, below for the columns'. */
const cell = 56;
const margin = { top: 8, right: 8, bottom: 52, left: 56 };
const side = cell * 5;
const width = margin.left + side + margin.right;
const height = margin.top + side + margin.bottom;
const font = 14;

/** R from 5 (the top row) down to 1; F from 1 (the left column) to 5. */
const rows = [5, 4, 3, 2, 1] as const;
const columns = [1, 2, 3, 4, 5] as const;

/**
 * A program's RFM grid as a heat map, rendered to SVG on the server like the dashboard's chart (no script): a
 * figure with its caption and how to read it; one drawing, as a 5x5 grid reads at any width (its labels are drawn
 * at 11 px or more on a 390 px phone, 10 px at 320), whose <title> and <desc> say what it shows and where the most
 * members are; the members written in every cell; a legend of the colours; and the same numbers as a table under
 * "Show as a table".
 */
export function RfmHeatmap(props: { rfm: RfmView; id: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { grid, membersScored } = props.rfm;
  const { id } = props;
  const title = t("rfm.map.title");
  const at = (r: number, f: number) => grid[r - 1]?.[f - 1] ?? 0;
  let fullest = { r: 5, f: 1, members: -1 };
  for (const r of rows) for (const f of columns) if (at(r, f) > fullest.members) fullest = { r, f, members: at(r, f) };
  const max = Math.max(fullest.members, 0);
  const desc = t("rfm.map.desc", {
    scored: i18n.number(membersScored),
    r: fullest.r,
    f: fullest.f,
    max: i18n.number(max),
  });
  const segmentOf = (r: number, f: number) => enumLabel(i18n, "rfmSegment", segmentGrid[r - 1]?.[f - 1] ?? "lost");
  return (
    <figure class="chart heatmap" aria-labelledby={`${id}-caption`}>
      <figcaption id={`${id}-caption`}>{title}</figcaption>
      <p class="muted">{t("rfm.map.how")}</p>
      <svg
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-labelledby={`${id}-title`}
        aria-describedby={`${id}-desc`}
      >
        <title id={`${id}-title`}>{title}</title>
        <desc id={`${id}-desc`}>{desc}</desc>
        <text
          transform="rotate(-90)"
          x={-(margin.top + side / 2)}
          y={font + 2}
          text-anchor="middle"
          font-size={font}
          fill={heatColors.muted}
        >
          {t("rfm.map.rows")}
        </text>
        <text x={margin.left + side / 2} y={height - 8} text-anchor="middle" font-size={font} fill={heatColors.muted}>
          {t("rfm.map.columns")}
        </text>
        {rows.map((r, row) => (
          <text
            x={margin.left - 6}
            y={margin.top + row * cell + cell / 2 + font / 3}
            text-anchor="end"
            font-size={font}
            fill={heatColors.muted}
          >{`R${r}`}</text>
        ))}
        {columns.map((f, column) => (
          <text
            x={margin.left + column * cell + cell / 2}
            y={margin.top + side + font + 6}
            text-anchor="middle"
            font-size={font}
            fill={heatColors.muted}
          >{`F${f}`}</text>
        ))}
        {rows.map((r, row) =>
          columns.map((f, column) => {
            const members = at(r, f);
            const colors = cellColors(members, max);
            const x = margin.left + column * cell;
            const y = margin.top + row * cell;
            return (
              <g class="cell" data-r={r} data-f={f}>
                <rect
                  x={x + 1}
                  y={y + 1}
                  width={cell - 2}
                  height={cell - 2}
                  fill={colors.fill}
                  stroke={heatColors.edge}
                >
                  <title>{t("rfm.map.cell", { r, f, segment: segmentOf(r, f), members: i18n.number(members) })}</title>
                </rect>
                <text
                  x={x + cell / 2}
                  y={y + cell / 2 + 6}
                  text-anchor="middle"
                  font-size={17}
                  font-weight={600}
                  fill={colors.text}
                >
                  {i18n.number(members)}
                </text>
              </g>
            );
          }),
        )}
      </svg>
      <ul class="legend">
        <li data-legend="none">
          <svg viewBox="0 0 16 16" aria-hidden="true" focusable="false">
            <rect x="0.5" y="0.5" width="15" height="15" fill={heatColors.empty} stroke={heatColors.edge} />
          </svg>
          {t("rfm.map.none")}
        </li>
        {max === 1 ? (
          <li data-legend="scale">
            <svg viewBox="0 0 16 16" aria-hidden="true" focusable="false">
              <rect x="0.5" y="0.5" width="15" height="15" fill={heatColors.high} stroke={heatColors.edge} />
            </svg>
            {t("rfm.map.one")}
          </li>
        ) : null}
        {max > 1 ? (
          <li data-legend="scale">
            <svg class="scale" viewBox="0 0 64 16" aria-hidden="true" focusable="false">
              <defs>
                <linearGradient id={`${id}-scale`}>
                  <stop offset="0" stop-color={heatColors.low} />
                  <stop offset="1" stop-color={heatColors.high} />
                </linearGradient>
              </defs>
              <rect x="0.5" y="0.5" width="63" height="15" fill={`url(#${id}-scale)`} stroke={heatColors.edge} />
            </svg>
            {t("rfm.map.scale", { max: i18n.number(max) })}
          </li>
        ) : null}
      </ul>
      <details>
        <summary>{t("chart.showTable")}</summary>
        <TableWrap label={t("rfm.map.tableLabel", { title })}>
          <table class="rfm-grid">
            <thead>
              <tr>
                <th scope="col">{t("rfm.map.corner")}</th>
                {columns.map((f) => (
                  <th scope="col" class="num">{`F${f}`}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr>
                  <th scope="row">{`R${r}`}</th>
                  {columns.map((f) => (
                    <td class="num" data-label={`F${f}`} data-r={r} data-f={f}>
                      {i18n.number(at(r, f))}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      </details>
    </figure>
  );
}
