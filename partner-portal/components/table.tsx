import type { Child } from "hono/jsx";

/**
 * The wrapper every portal table goes in: `<TableWrap label="…"><table>…</table></TableWrap>`. On a desktop a
 * table wider than the page scrolls sideways inside it, so it is a labelled <section> (a named region) in the
 * tab order, which keyboard users scroll with the arrow keys (axe-core's `scrollable-region-focusable`). Under
 * 600 px its table becomes stacked cards (styles/layout.ts): give each <td> a `data-label` with its column's
 * name, which every card row shows as its label; a <th scope="row"> is the card's title, and the <tfoot> is a
 * last card of totals, always shown.
 */
export function TableWrap(props: { label: string; children: Child }) {
  return (
    <section class="table-wrap" aria-label={props.label} tabindex={0}>
      {props.children}
    </section>
  );
}
