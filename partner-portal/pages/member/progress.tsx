/**
 * How far a member is towards a target (the next tier's minimum, a challenge's), as a native `<progress>` named
 * by its text beside it ("Points: 1,200 of 5,000"), so the bar and the words say the same to every reader.
 */
export function ProgressBar(props: { id: string; name: string; text: string; value: number; max: number }) {
  return (
    <div class="member-progress" data-progress={props.name}>
      <span id={props.id}>{props.text}</span>
      <progress aria-labelledby={props.id} value={Math.min(props.value, props.max)} max={props.max}>
        {props.text}
      </progress>
    </div>
  );
}
