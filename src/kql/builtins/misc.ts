// Miscellaneous scalars: assert, dynamic_to_json, regex_quote, array_strcat. (column_names_of,
// bag_pack_columns and the row_rank_* window functions need the syntax tree and live in the compiler.)
import { KqlError } from "../api.js";
import type { Dyn, KqlType } from "../values.js";
import { dynToJsonText, valueToString } from "../values.js";
import { defineScalar, getScalar } from "./registry.js";
import "./string.js";

const unsupported = (what: string): KqlError => new KqlError("unsupported", `unsupported: ${what}`);

// assert-function.md: true, or the query fails with the message. The condition must be a constant; the compiler
// folds constant calls, so a false constant fails while the query is compiled, as in Kusto.
defineScalar({
  name: "assert",
  nulls: "custom",
  overloads: [{
    params: ["bool", "string"], returns: "bool",
    impl: (a) => {
      if (a[0] === true) return true;
      throw new KqlError("semantic", `assert() has failed with message: '${String(a[1])}'`);
    },
  }],
});

// ---------- dynamic_to_json ----------

/** A datetime/timespan/guid member of a dynamic value (values.ts keeps them typed, serialised by toJSON). */
function isTypedScalar(v: Dyn): boolean {
  return typeof v === "object" && v !== null && !Array.isArray(v) && typeof (v as { toJSON?: unknown }).toJSON === "function";
}

/**
 * Canonical JSON of a dynamic value (dynamic-to-json-function.md): property-bag keys sorted, no whitespace. Keys
 * are sorted ordinally; where ordinal and case-insensitive order would differ, or a key is not ASCII, the docs do
 * not settle the order and the value is refused. Numbers JavaScript would print with an exponent are refused too
 * (.NET prints them differently).
 */
function canonicalJson(v: Dyn): string {
  if (v === null) return "null";
  if (typeof v === "number") {
    const s = String(v);
    if (!Number.isFinite(v) || /e/i.test(s)) throw unsupported(`dynamic_to_json of the number ${s}`);
    return s;
  }
  if (typeof v === "boolean" || typeof v === "string") return JSON.stringify(v);
  if (isTypedScalar(v)) return dynToJsonText(v); // Kusto's text form (a whole-valued real: 2.0)
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(",")}]`;
  const bag = v as { [key: string]: Dyn };
  const keys = Object.keys(bag).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const folded = [...keys].sort((a, b) => {
    const x = a.toLowerCase(), y = b.toLowerCase();
    return x < y ? -1 : x > y ? 1 : 0;
  });
  const clash = (k: string, i: number) => i > 0 && k.toLowerCase() === folded[i - 1]!.toLowerCase();
  if (keys.some((k, i) => k !== folded[i] || clash(folded[i]!, i) || /[^\x20-\x7e]/.test(k))) {
    throw unsupported("dynamic_to_json of a property bag whose key order depends on letter case or non-ASCII characters");
  }
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(bag[k]!)}`).join(",")}}`;
}

defineScalar({
  name: "dynamic_to_json",
  nulls: "custom",
  overloads: [
    {
      params: ["dynamic"], returns: "string",
      impl: (a) => {
        const v = a[0] as Dyn;
        // A top-level dynamic string or null: the docs do not say whether it is quoted / "null" or "".
        if (v === null || v === undefined || typeof v === "string" || isTypedScalar(v)) {
          throw unsupported("dynamic_to_json of a dynamic string, datetime, timespan, guid or null");
        }
        return canonicalJson(v);
      },
    },
    // "If the input is a scalar value of type other than dynamic, the output is the application of tostring()."
    { params: ["scalar"], returns: "string", impl: (a, _c, t) => valueToString(a[0]!, t[0] as KqlType) },
  ],
});

// ---------- regex_quote ----------

// regex-quote-function.md does not say which escaper Kusto uses: RE2's QuoteMeta escapes every ASCII character
// but [A-Za-z0-9_]; .NET's Regex.Escape escapes \ * + ? | { [ ( ) ^ $ . # and white space; the Rust regex
// crate's escape (whose syntax the current regex.md describes: [a-y&&xyz], [0-9--4]) escapes
// \ . + * ? ( ) | [ ] { } ^ $ # & - ~ but not white space. Only characters all three treat alike are accepted.
const ALL_ESCAPE = new Set(["\\", "*", "+", "?", "|", "{", "[", "(", ")", "^", "$", ".", "#"]);

export function regexQuote(s: string): string {
  let out = "";
  for (const ch of s) {
    if (/[A-Za-z0-9_]/.test(ch) || ch.codePointAt(0)! >= 0x80) out += ch;
    else if (ALL_ESCAPE.has(ch)) out += "\\" + ch;
    else throw unsupported(`regex_quote of the character ${JSON.stringify(ch)} (the candidate escapers treat it differently)`);
  }
  return out;
}

defineScalar({
  name: "regex_quote",
  nulls: "propagate",
  overloads: [{ params: ["string"], returns: "string", impl: (a) => regexQuote(a[0] as string) }],
});

// ---------- array_strcat ----------

// The older name of strcat_array (same parameters and result in Kusto.Language).
const strcatArray = getScalar("strcat_array");
if (!strcatArray) throw new Error("strcat_array must be registered before array_strcat");
defineScalar({ ...strcatArray, name: "array_strcat", aliases: undefined });

