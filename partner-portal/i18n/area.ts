/**
 * One area's messages (a page or a feature) in every language: English names the keys, and the other languages
 * must have the same keys (their type says so). The catalogue (catalog.ts) merges every area into the core.
 */
export function area<const English extends Record<string, string>>(messages: {
  en: English;
  "pt-BR": Record<keyof English, string>;
  ru: Record<keyof English, string>;
}) {
  return messages;
}
