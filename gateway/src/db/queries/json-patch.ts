import type { SqlValue, Statement } from "../writer";

/** A value computed inside the atomic write, e.g. `balance_after`, patched into a JSON document by SQL. */
export type JsonPatch = { path: string; sql: string; args: SqlValue[] };

/** `json_set(?, path, (subquery), ...)` over a JSON template, so the stored text holds values only the write knows. */
export function patchedJson(template: string, patches: readonly JsonPatch[] = []): { sql: string; args: SqlValue[] } {
  let sql = "?";
  const args: SqlValue[] = [template];
  for (const patch of patches) {
    sql = `json_set(${sql}, '${patch.path}', (${patch.sql}))`;
    args.push(...patch.args);
  }
  return { sql, args };
}

/** The last statement of a unit: its response body as the write left it, read back as the column `body`. */
export function selectPatchedJson(template: string, patches: readonly JsonPatch[] = []): Statement {
  const json = patchedJson(template, patches);
  return { sql: `select ${json.sql} as body`, args: json.args };
}
