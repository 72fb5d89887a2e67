/** How many violations of a check are spelled out (all are counted). */
const examplesShown = 10;

/** One invariant checked at the end of the soak: over how many things, how many broke it, and the first few. */
export class Check {
  checked = 0;
  violations = 0;
  readonly examples: string[] = [];

  constructor(readonly name: string) {}

  /** One thing checked; `describe` says what broke, only when it did. */
  see(ok: boolean, describe: () => string) {
    this.checked += 1;
    if (ok) return;
    this.violations += 1;
    if (this.examples.length < examplesShown) this.examples.push(describe());
  }

  /** `checked` things, of which `violations` broke it; `examples` says how (the first few). */
  tally(checked: number, violations: number, examples: string[]) {
    this.checked += checked;
    this.violations += violations;
    this.examples.push(...examples.slice(0, examplesShown - this.examples.length));
  }

  /** `checked` things, of which the violating `rows` (an SQL query's) broke it. */
  rows<T>(checked: number, rows: T[], describe: (row: T) => string) {
    this.checked += checked;
    this.violations += rows.length;
    for (const row of rows.slice(0, examplesShown - this.examples.length)) this.examples.push(describe(row));
  }
}

/** The checks of one run, in the order they were made. */
export class Checks {
  readonly all: Check[] = [];
  add(name: string): Check {
    const check = new Check(name);
    this.all.push(check);
    return check;
  }
  get violations() {
    return this.all.reduce((sum, check) => sum + check.violations, 0);
  }
}
