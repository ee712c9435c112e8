// Case-insensitive comparison and tolower()/toupper() on characters whose folding is implementation-dependent.
// Expected values are derived by hand from the Unicode simple case mappings (UnicodeData.txt): .NET compares
// OrdinalIgnoreCase by simple upper case and maps ToLowerInvariant one character at a time.
import { describe, expect, it } from "vitest";
import { STRING_OPERATORS, compileSetPredicate, compileStringPredicate, lowerInvariant } from "../../../src/kql/builtins/stringops.js";
import { call } from "./c1-helpers.js";

const K = "\u212a"; // KELVIN SIGN: simple lower k, simple upper itself
const outcome = (f: () => unknown): unknown => {
  try { return f(); } catch (e) { return e instanceof Error && /unsupported/.test(e.message) ? "unsupported" : String(e); }
};

describe("final sigma", () => {
  it("lowers Σ to σ wherever it stands (no context rule, unlike JavaScript's toLowerCase)", () => {
    expect(lowerInvariant("ΣΑΣ")).toBe("σασ");
    expect(call("tolower", ["ΟΔΟΣ"])).toBe("οδοσ");
    expect(STRING_OPERATORS["=~"]!("ΣΑΣ", "σασ")).toBe(true);
    expect(compileStringPredicate("=~", "σασ")!("ΣΑΣ")).toBe(true);
  });
  it("refuses ς against σ/Σ (equal by upper case, unequal by lower case)", () => {
    expect(outcome(() => STRING_OPERATORS["=~"]!("ΣΑΣ", "σας"))).toBe("unsupported");
    expect(outcome(() => compileStringPredicate("contains", "ς")!("Σ"))).toBe("unsupported");
  });
});

describe("disputed classes", () => {
  it("refuses K, ſ, İ, ı only where the other side holds a member of their class", () => {
    expect(outcome(() => STRING_OPERATORS["contains"]!(`${K}elvin`, "k"))).toBe("unsupported");
    expect(outcome(() => compileStringPredicate("has", "kelvin")!(`${K}elvin`))).toBe("unsupported");
    expect(outcome(() => compileStringPredicate("startswith", "s")!("ſx"))).toBe("unsupported");
    expect(outcome(() => compileSetPredicate("in~", ["i"])!("\u0130"))).toBe("unsupported");
    expect(outcome(() => compileSetPredicate("has_any", ["x", "i"])!("\u0131"))).toBe("unsupported");
    // A needle without i/k/s never meets those classes.
    expect(compileStringPredicate("contains", "elv")!(`${K}elvin`)).toBe(true);
    expect(compileStringPredicate("=~", "Äb")!("äB")).toBe(true);
  });
  it("tolower/toupper refuse İ and ı and characters without a one-character full mapping", () => {
    expect(outcome(() => call("tolower", ["\u0130"]))).toBe("unsupported");
    expect(outcome(() => call("toupper", ["\u0131"]))).toBe("unsupported");
    expect(outcome(() => call("toupper", ["\u1fb3"]))).toBe("unsupported");
    expect(outcome(() => call("tolower", ["\u{10400}"]))).toBe("unsupported"); // Deseret: beyond U+FFFF
    expect(outcome(() => STRING_OPERATORS["=~"]!("\u{10400}", "\u{10428}"))).toBe("unsupported");
    expect(call("toupper", ["straße"])).toBe("STRAßE");
    expect(call("tolower", [K])).toBe("k");
  });
});
