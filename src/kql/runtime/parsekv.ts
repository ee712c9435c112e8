// parse-kv: extracts the keys of a declared schema from key/value text. Three modes (parse-kv-operator.md):
// explicit pair_delimiter/kv_delimiter (values end at the next pair delimiter, or with greedy=true at the pair
// delimiter before the next key), no delimiters (each key is found followed by ':' or '=' and its value runs to
// the next whitespace, ',' or ';'), and regex= with two groups (key, value). quote= characters (one, or an
// open/close pair) delimit values that contain delimiters; escape= escapes a quote inside them.
import type { KAny } from "../kusto.js";
import type { Compiler } from "../compiler.js";
import { columnsOf, elems } from "../compiler.js";
import { KqlError } from "../api.js";
import type { KqlType, Value } from "../values.js";
import { nullOf } from "../values.js";
import { convertTo, kqlToString } from "../builtins/conversion.js";
import { compileRegex } from "../builtins/regex.js";
import type { Plan, Row } from "./table.js";

interface Options {
  pair?: string;
  kv?: string;
  /** Each `quote=` parameter: one character (opens and closes) or an open/close pair; it may be repeated. */
  quotes: string[];
  /** Each `escape=` parameter (repeatable). */
  escapes: string[];
  greedy: boolean;
  regex?: string;
}

/** Reads a quoted value starting at text[i] (an opening quote); returns the value and the index after it. */
function readQuoted(text: string, i: number, o: Options): { value: string; end: number } {
  const close = closerOf(o, text[i])!;
  let v = "";
  let j = i + 1;
  while (j < text.length) {
    const ch = text[j]!;
    if (o.escapes.includes(ch) && j + 1 < text.length) { v += text[j + 1]; j += 2; continue; }
    if (ch === close) return { value: v, end: j + 1 };
    v += ch;
    j++;
  }
  return { value: v, end: j };
}

/** The closing quote for an opening quote character, or undefined when ch opens no quote. */
function closerOf(o: Options, ch: string | undefined): string | undefined {
  for (const q of o.quotes) if (q[0] === ch) return q.length === 2 ? q[1] : q[0];
  return undefined;
}
const isQuote = (o: Options, ch: string | undefined) => ch !== undefined && closerOf(o, ch) !== undefined;

function extractDelimited(text: string, o: Options): Map<string, string> {
  const out = new Map<string, string>();
  const pair = o.pair!, kv = o.kv!;
  let i = 0;
  const n = text.length;
  while (i < n) {
    // key
    while (i < n && text.startsWith(pair, i) && pair.trim() === "") i += pair.length;
    let key: string;
    if (isQuote(o, text[i])) { const q = readQuoted(text, i, o); key = q.value; i = q.end; }
    else {
      const kvAt = text.indexOf(kv, i);
      const pairAt = text.indexOf(pair, i);
      if (kvAt < 0) break;
      if (pairAt >= 0 && pairAt < kvAt) { i = pairAt + pair.length; continue; } // a piece without kv_delimiter
      key = text.slice(i, kvAt).trim();
      i = kvAt;
    }
    if (!text.startsWith(kv, i)) {
      const pairAt = text.indexOf(pair, i);
      if (pairAt < 0) break;
      i = pairAt + pair.length;
      continue;
    }
    i += kv.length;
    while (i < n && text[i] === " " && pair !== " ") i++;
    let value: string;
    if (isQuote(o, text[i])) { const q = readQuoted(text, i, o); value = q.value; i = q.end; }
    else if (o.greedy) {
      // Up to the pair delimiter that precedes the next "key<kv>".
      let end = n;
      let p = text.indexOf(pair, i);
      while (p >= 0) {
        const next = p + pair.length;
        const kvAt = text.indexOf(kv, next);
        const nextPair = text.indexOf(pair, next);
        if (kvAt >= 0 && (nextPair < 0 || kvAt < nextPair)) { end = p; break; }
        p = nextPair;
      }
      value = text.slice(i, end);
      i = end;
    } else {
      const p = text.indexOf(pair, i);
      const end = p < 0 ? n : p;
      value = text.slice(i, end);
      i = end;
    }
    if (!out.has(key)) out.set(key, value.trim());
    const p = text.indexOf(pair, i);
    if (p < 0) break;
    i = p + pair.length;
  }
  return out;
}

function extractByKeys(text: string, keys: string[], o: Options): Map<string, string> {
  const out = new Map<string, string>();
  for (const key of keys) {
    let from = 0;
    while (from <= text.length) {
      const at = text.indexOf(key, from);
      if (at < 0) break;
      from = at + 1;
      const before = at === 0 ? "" : text[at - 1]!;
      if (/[A-Za-z0-9_]/.test(before)) continue;
      let i = at + key.length;
      while (text[i] === " ") i++;
      if (text[i] !== ":" && text[i] !== "=") continue;
      i++;
      while (text[i] === " ") i++;
      let value: string;
      if (isQuote(o, text[i])) value = readQuoted(text, i, o).value;
      else {
        const m = /^[^\s,;]*/.exec(text.slice(i))!;
        value = m[0];
        // "Any nonalphanumeric character is considered a delimiter": does "1.2.3.4" end at the first '.'? The
        // page's values are all alphanumeric, so an unquoted value holding other characters is refused.
        if (/[^\p{L}\p{N}]/u.test(value)) {
          throw new KqlError("unsupported", `unsupported: parse-kv without delimiters of the unquoted value '${value}' (where a value with non-alphanumeric characters ends is not documented)`);
        }
      }
      out.set(key, value);
      break;
    }
  }
  return out;
}

export function compileParseKv(c: Compiler, op: KAny, input: Plan): Plan {
  const outCols = columnsOf(op);
  const o: Options = { quotes: [], escapes: [], greedy: false };
  for (const p of op.WithClause ? elems(op.WithClause.Properties) : []) {
    const name = String(p.Name.SimpleName).toLowerCase();
    const v = c.constant(p.Expression);
    switch (name) {
      case "pair_delimiter": o.pair = String(v); break;
      case "kv_delimiter": o.kv = String(v); break;
      case "quote": {
        const q = String(v);
        if (q.length < 1 || q.length > 2) c.unsupported(p, `parse-kv quote '${q}' (one or two characters)`);
        o.quotes.push(q);
        break;
      }
      case "escape": o.escapes.push(String(v)); break;
      case "greedy": o.greedy = v === true; break;
      case "regex": o.regex = String(v); break;
      default: c.unsupported(p, `parse-kv option ${name}`);
    }
  }
  if ((o.pair === undefined) !== (o.kv === undefined)) c.unsupported(op, "parse-kv with only one of pair_delimiter/kv_delimiter");
  if (o.pair === "" || o.kv === "") c.unsupported(op, "parse-kv with an empty delimiter");
  const src = c.scalar(op.Expression, c.rowEnv(input.columns));
  const keyCols = outCols.slice(input.columns.length);
  if (input.columns.some((col, i) => outCols[i]?.name !== col.name)) c.unsupported(op, "parse-kv output schema");
  const keys = keyCols.map((k) => k.name);
  const re = o.regex !== undefined ? compileRegex(o.regex) : undefined;
  if (re && re.groupCount < 2) c.unsupported(op, "parse-kv regex with fewer than two groups");
  const extract = (text: string): Map<string, string> => {
    if (re) {
      const m = new Map<string, string>();
      for (const x of re.matchAll(text)) {
        const k = (x.groups[1] ?? "").trim();
        if (!m.has(k)) m.set(k, (x.groups[2] ?? "").trim());
      }
      return m;
    }
    return o.pair !== undefined ? extractDelimited(text, o) : extractByKeys(text, keys, o);
  };
  // Whether keys match case-insensitively is not documented: text whose keys differ from a requested one only
  // in case is refused.
  const lowerKeys = new Map(keys.map((k) => [k.toLowerCase(), k]));
  const refuseCase = (found: string, wanted: string): never => {
    throw new KqlError("unsupported", `unsupported: parse-kv key '${found}' differs from the requested '${wanted}' only in case (case rule not documented)`);
  };
  const checked = (text: string): Map<string, string> => {
    const m = extract(text);
    if (re || o.pair !== undefined) {
      for (const k of m.keys()) {
        const w = lowerKeys.get(k.toLowerCase());
        if (w !== undefined && w !== k) refuseCase(k, w);
      }
    } else {
      const lt = text.toLowerCase();
      for (const k of keys) {
        const lk = k.toLowerCase();
        for (let at = lt.indexOf(lk); at >= 0; at = lt.indexOf(lk, at + 1)) {
          const found = text.slice(at, at + k.length);
          if (found !== k) refuseCase(found, k);
        }
      }
    }
    return m;
  };
  const conv = (text: string | undefined, t: KqlType): Value => {
    if (text === undefined) return nullOf(t);
    if (t === "string") return text;
    // A value the engine cannot hold exactly (long beyond 2^53, int beyond 32 bits) is refused, not nulled.
    try { return convertTo(text, "string", t); } catch (e) { if (e instanceof KqlError && e.kind === "unsupported") throw e; return nullOf(t); }
  };
  const sf = src.f, st = src.t;
  return {
    columns: outCols,
    run: () => input.run().map((r): Row => {
      const v = sf(r);
      const m = checked(st === "string" ? (v as string) : kqlToString(v, st));
      return [...r, ...keyCols.map((k) => conv(m.get(k.name), k.type))];
    }),
  };
}
