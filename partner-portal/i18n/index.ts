import { formatMinor } from "../../gateway/src/domain/settlement/money";
import { preferredLanguage } from "../../gateway/src/http/accept-language";
import { catalogs, type MessageKey } from "./catalog";

export type { MessageKey } from "./catalog";
export const locales = catalogs satisfies Record<string, Record<MessageKey, string>>;
export type Locale = keyof typeof locales;
export const localeNames: Record<Locale, string> = { en: "English", "pt-BR": "Português (Brasil)", ru: "Русский" };

/**
 * Whether a cookie's or a query's text names one of the languages. An own-property check: `in` would also
 * accept what every object inherits (`constructor`, `toString`, `__proto__`), which is not a catalogue.
 */
export const isLocale = (value: string | undefined): value is Locale =>
  value !== undefined && Object.hasOwn(locales, value);

/**
 * The page's language: the `cg_lang` cookie the switch sets, else the best match of `Accept-Language`
 * (by quality, `pt` or `pt-PT` falling back to pt-BR, `ru-RU` to ru), else English.
 */
export function negotiateLocale(cookie: string | undefined, acceptLanguage: string | undefined): Locale {
  if (isLocale(cookie)) return cookie;
  return preferredLanguage(acceptLanguage, Object.keys(locales) as Locale[]) ?? "en";
}

/** Everything a page needs to speak the member's or manager's language. */
export type I18n = ReturnType<typeof i18n>;

export function i18n(locale: Locale) {
  const messages: Record<MessageKey, string> = locales[locale];
  const t = (key: MessageKey, values: Record<string, string | number> = {}) =>
    messages[key].replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? `{${name}}`));
  const number = new Intl.NumberFormat(locale);
  const percent = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1 });
  const date = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" });
  const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
  return {
    locale,
    t,
    number: (value: number) => number.format(value),
    percent: (ratio: number) => percent.format(ratio),
    date: (value: Date | string) => date.format(new Date(value)),
    dateTime: (value: Date | string) => `${dateTime.format(new Date(value))} UTC`,
    /** Minor units of a currency, exactly: the decimal string goes to Intl, never a float. */
    money: (amountMinor: number, currency: string) =>
      new Intl.NumberFormat(locale, { style: "currency", currency }).format(
        formatMinor(amountMinor, currency) as unknown as number,
      ),
  };
}
