import { inflateSync } from "node:zlib";

/**
 * The text a PDF made by pdf-lib shows, in drawing order: every Flate content stream inflated, every
 * `<hex> Tj` decoded (standard fonts write WinAnsi bytes). Enough to check what a statement PDF says.
 */
export function pdfText(bytes: Uint8Array): string[] {
  const raw = Buffer.from(bytes);
  const texts: string[] = [];
  let at = 0;
  for (;;) {
    const start = raw.indexOf("stream", at, "latin1");
    if (start < 0) break;
    const dataStart = start + (raw[start + 6] === 0x0d ? 8 : 7);
    const end = raw.indexOf("endstream", dataStart, "latin1");
    if (end < 0) break;
    at = end + 9;
    let content: string;
    try {
      content = inflateSync(raw.subarray(dataStart, end)).toString("latin1");
    } catch {
      continue; // not a Flate stream (e.g. an uncompressed object stream): no text in it
    }
    for (const match of content.matchAll(/<([0-9A-Fa-f]*)>\s*Tj/g))
      texts.push(Buffer.from(match[1] ?? "", "hex").toString("latin1"));
  }
  return texts;
}
