/**
 * Parses RFC 4180 CSV (quoted fields, doubled quotes, CRLF or LF, a leading byte order mark) into records; a
 * blank line is an empty record, so a file's sections stay apart. For tests that read what a download says.
 */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let quoted = false;
  let started = false;
  const source = text.replace(/^\uFEFF/, "");
  for (let i = 0; i < source.length; i++) {
    const char = source[i];
    if (quoted) {
      if (char === '"' && source[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') {
      quoted = true;
      started = true;
    } else if (char === ",") {
      record.push(field);
      field = "";
      started = true;
    } else if (char === "\r" || char === "\n") {
      if (char === "\r" && source[i + 1] === "\n") i++;
      records.push(started || field ? [...record, field] : []);
      record = [];
      field = "";
      started = false;
    } else {
      field += char;
      started = true;
    }
  }
  if (started || field) records.push([...record, field]);
  return records;
}

/** The sections of a CSV split at blank records, each as objects keyed by its first record (its header). */
export function csvSections(text: string): Record<string, string>[][] {
  const sections: string[][][] = [[]];
  for (const record of parseCsv(text)) {
    if (record.length === 0) sections.push([]);
    else sections.at(-1)?.push(record);
  }
  return sections
    .filter((rows) => rows.length > 0)
    .map(([header = [], ...rows]) =>
      rows.map((row) => Object.fromEntries(header.map((name, i) => [name, row[i] ?? ""]))),
    );
}

/** Sums decimal strings exactly, in units of 10^-digits ("9.90" + "-2.70" with 2 digits: 720n). */
export function sumDecimals(values: string[], digits: number): bigint {
  return values
    .filter((value) => value !== "")
    .reduce((sum, value) => {
      const negative = value.startsWith("-");
      const [whole = "0", fraction = ""] = value.replace(/^-/, "").split(".");
      const units = BigInt(whole) * 10n ** BigInt(digits) + BigInt(fraction.padEnd(digits, "0") || "0");
      return sum + (negative ? -units : units);
    }, 0n);
}
