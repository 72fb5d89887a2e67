import type { Child } from "hono/jsx";

/**
 * What a member's order or transfer receipt shows: the outcome in a sentence (announced, and coloured as done,
 * pending or refused, the words saying it too), then its lines, each a label and a value; a line's `name` marks it
 * (`data-receipt`) for whoever reads the page back.
 */
export type ReceiptLine = { label: string; value: Child; name?: string };

export function Receipt(props: { outcome: { kind: "ok" | "pending" | "error"; text: string }; lines: ReceiptLine[] }) {
  return (
    <>
      <p class={`alert member-${props.outcome.kind}`} role="status" data-receipt="outcome">
        {props.outcome.text}
      </p>
      <dl class="member-receipt">
        {props.lines.map((line) => (
          <div>
            <dt>{line.label}</dt>
            <dd data-receipt={line.name}>{line.value}</dd>
          </div>
        ))}
      </dl>
    </>
  );
}
