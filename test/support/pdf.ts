import { decodePDFRawStream, PDFArray, PDFDict, PDFDocument, PDFName, type PDFRawStream, PDFStream } from "pdf-lib";

/** Bytes as one character each (latin1): content streams and CMaps are ASCII, standard fonts' text WinAnsi. */
const latin1 = (bytes: Uint8Array) => Array.from(bytes, (byte) => String.fromCharCode(byte)).join("");
const decode = (stream: PDFStream) => latin1(decodePDFRawStream(stream as PDFRawStream).decode());
const hexBytes = (hex: string) => Uint8Array.from(hex.match(/../g) ?? [], (pair) => Number.parseInt(pair, 16));

/** A font's ToUnicode CMap as glyph code (hex, 4 digits) → text; pdf-lib writes one `bfchar` per glyph. */
function toUnicode(cmap: string): Map<string, string> {
  const glyphs = new Map<string, string>();
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g))
    for (const [, code = "", unicode = ""] of (block[1] ?? "").matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) {
      const units = (unicode.match(/.{4}/g) ?? []).map((unit) => Number.parseInt(unit, 16));
      glyphs.set(code.toUpperCase(), String.fromCharCode(...units));
    }
  return glyphs;
}

/**
 * The text a PDF made by pdf-lib shows, page by page in drawing order: each `<hex> Tj` decoded through the
 * ToUnicode CMap of the font its `Tf` selected (the statement PDF embeds DejaVu Sans as Identity-H glyph
 * codes), or byte by byte for a standard font (Latin-1 letters). Enough to check what a statement PDF says.
 */
export async function pdfText(bytes: Uint8Array): Promise<string[]> {
  const pdf = await PDFDocument.load(bytes);
  const texts: string[] = [];
  for (const page of pdf.getPages()) {
    const fonts = new Map<string, Map<string, string> | undefined>();
    const resources = page.node.Resources()?.lookup(PDFName.of("Font"), PDFDict);
    for (const [name, ref] of resources?.entries() ?? []) {
      const cmap = pdf.context.lookup(ref, PDFDict).lookup(PDFName.of("ToUnicode"));
      fonts.set(name.decodeText(), cmap instanceof PDFStream ? toUnicode(decode(cmap)) : undefined);
    }
    const contents = page.node.Contents();
    const streams =
      contents instanceof PDFArray ? contents.asArray().map((ref) => pdf.context.lookup(ref)) : [contents];
    const content = streams
      .filter((stream) => stream instanceof PDFStream)
      .map(decode)
      .join("\n");
    let glyphs: Map<string, string> | undefined;
    for (const [, font, hex] of content.matchAll(/\/(\S+)\s+[\d.]+\s+Tf|<([0-9A-Fa-f]*)>\s*Tj/g)) {
      if (font !== undefined) glyphs = fonts.get(font);
      else if (glyphs)
        texts.push((hex?.match(/.{4}/g) ?? []).map((code) => glyphs?.get(code.toUpperCase()) ?? "\ufffd").join(""));
      else texts.push(latin1(hexBytes(hex ?? "")));
    }
  }
  return texts;
}
