/**
 * Where a page has nothing yet: saying so, and the API request that makes it (`{request}` in the `how` message,
 * shown as code). `kind` names it for tests (`data-empty`); `class` styles it (each area's stylesheet).
 */
export function Empty(props: { kind: string; say: string; how: string; request: string; class: string }) {
  const [before, after] = props.how.split("{request}");
  return (
    <div class={props.class} data-empty={props.kind}>
      <p>{props.say}</p>
      <p>
        {before}
        <code>{props.request}</code>
        {after}
      </p>
    </div>
  );
}
