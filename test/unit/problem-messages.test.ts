import { describe, expect, it } from "vitest";
import { ApiError, type ErrorCode, errorCodes } from "../../gateway/src/errors";
import { i18n, type Locale, locales } from "../../partner-portal/i18n";
import { duration, enumLabel, formProblems, problemMessage } from "../../partner-portal/problems";

const codes = Object.keys(errorCodes) as ErrorCode[];
const languages = Object.keys(locales) as Locale[];

describe("problem messages", () => {
  it.each(languages)("say every error code in words for people in %s: none empty, none the code itself", (locale) => {
    const page = i18n(locale);
    for (const code of codes) {
      const message = problemMessage(page, new ApiError(code, `An English detail for ${code}.`));
      expect(message.trim(), code).not.toBe("");
      expect(message, code).not.toContain(code);
      expect(message, code).not.toMatch(/\{\w+\}/);
      expect(message, code).not.toContain("English detail");
    }
  });

  it("are translated: no language says a code as English does", () => {
    for (const code of codes) {
      const english = problemMessage(i18n("en"), new ApiError(code, ""));
      for (const locale of languages.filter((l) => l !== "en"))
        expect(problemMessage(i18n(locale), new ApiError(code, "")), `${code} in ${locale}`).not.toBe(english);
    }
  });

  it("name the error's values, formatted by the page's Intl: a wait from Retry-After, points", () => {
    const limited = new ApiError("rate_limited", "retry in 45 s", { headers: { "Retry-After": "45" } });
    expect(problemMessage(i18n("en"), limited)).toBe(
      "Too many attempts in a short time: wait 45 seconds and try again.",
    );
    expect(problemMessage(i18n("ru"), limited)).toContain("45 секунд");
    const short = new ApiError("insufficient_points", "has 12345", { values: { available: 12_345 } });
    expect(problemMessage(i18n("en"), short)).toBe("Only 12,345 points are available: choose 12,345 or fewer.");
    expect(problemMessage(i18n("pt-BR"), short)).toContain("12.345 pontos");
    expect(problemMessage(i18n("ru"), short).replace(/\s/g, " ")).toContain("12 345");
  });

  it("keep a detail a route already translated, and let a page word a code its own way", () => {
    const pt = i18n("pt-BR");
    expect(problemMessage(pt, new ApiError("validation_failed", pt.t("error.badForm")))).toBe(pt.t("error.badForm"));
    expect(
      problemMessage(pt, new ApiError("conflict", "already revoked"), { conflict: "problem.conflict.revoked" }),
    ).toBe("Esta chave já foi revogada: crie uma chave nova.");
  });

  it("say waits as people do, in each language", () => {
    expect(duration(i18n("en"), 900)).toBe("15 minutes");
    expect(duration(i18n("pt-BR"), 1)).toBe("1 segundo");
    expect(duration(i18n("ru"), 7200)).toBe("2 часа");
  });

  it("label enum values in the page's language", () => {
    expect(enumLabel(i18n("en"), "roleName", "viewer")).toBe("viewer");
    expect(enumLabel(i18n("ru"), "roleName", "admin")).toBe("администратор");
  });
});

describe("form problems", () => {
  const fields = { from_points: { label: "Points" }, email: { label: "Email", message: "Enter your email." } };

  it("turn validation_failed field errors into one translated message per field of the form", () => {
    const error = new ApiError("validation_failed", "2 invalid", {
      errors: [
        { path: "from_points", message: "must be at least 1000 (then in steps of 1000)" },
        { path: "email", message: "Invalid email address" },
        { path: "body", message: "not a field of the form" },
      ],
    });
    expect(formProblems(i18n("en"), error, fields)).toEqual([
      { field: "from_points", message: "Points: enter at least 1,000." },
      { field: "email", message: "Enter your email." },
    ]);
    expect(formProblems(i18n("ru"), error, fields)[0]?.message.replace(/\s/g, " ")).toBe(
      "Points: укажите не меньше 1 000.",
    );
  });

  it("put another code's message on the field the form blames, or on none", () => {
    const error = new ApiError("insufficient_points", "", { values: { available: 10 } });
    expect(formProblems(i18n("en"), error, fields, { insufficient_points: "from_points" })).toEqual([
      { field: "from_points", message: "Only 10 points are available: choose 10 or fewer." },
    ]);
    expect(formProblems(i18n("en"), new ApiError("conflict", ""), fields)).toEqual([
      { field: undefined, message: problemMessage(i18n("en"), new ApiError("conflict", "")) },
    ]);
  });
});
