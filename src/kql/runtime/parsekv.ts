// parse-kv: extracts the keys of a declared schema from key/value text. Three modes (parse-kv-operator.md):
// explicit pair_delimiter/kv_delimiter (values end at the next pair delimiter, or with greedy=true at the pair
// delimiter before the next key), no delimiters (each key is found followed by ':' or '=' and its value runs to
// the next whitespace, ',' or ';'), and regex= with two groups (key, value). quote= characters (one, or an
// open/close pair) delimit values that contain delimiters; escape= escapes a quote inside them.
import type { KAny } from "../kusto.js";
import type { Compiler } from "../compiler.js";
import { columnsOf, elems } from "../compiler.js";
import type { KqlType, Value } from "../values.js";
import { nullOf } from "../values.js";
import { convertTo, kqlToString } from "../builtins/conversion.js";
import { compileRegex } from "../builtins/regex.js";
import type { Plan, Row } from "./table.js";

interface Options {
  pair?: string;
  kv?: string;
  quote: string;
  escape?: string;
  greedy: boolean;
  regex?: string;
}

/** Reads a quoted value starting at text[i] (an opening quote); returns the value and the index after it. */
function readQuoted(text: string, i: number, o: Options): { value: string; end: number } {
  const open = text[i]!;
  const close = o.quote.length === 2 && open === o.quote[0] ? o.quote[1]! : open;
  let v = "";
  let j = i + 1;
  while (j < text.length) {
    const ch = text[j]!;
    if (o.escape && ch === o.escape && j + 1 < text.length) { v += text[j + 1]; j += 2; continue; }
    if (ch === close) return { value: v, end: j + 1 };
    v += ch;
    j++;
  }
  return { value: v, end: j };
}

const isQuote = (o: Options, ch: string | undefined) => ch !== undefined && o.quote.length > 0 && (o.quote.length === 2 ? ch === o.quote[0] : o.quote.includes(ch));

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
      else { const m = /^[^\s,;]*/.exec(text.slice(i))!; value = m[0]; }
      out.set(key, value);
      break;
    }
  }
  return out;
}

export function compileParseKv(c: Compiler, op: KAny, input: Plan): Plan {
  const outCols = columnsOf(op);
  const o: Options = { quote: "", greedy: false };
  for (const p of op.WithClause ? elems(op.WithClause.Properties) : []) {
    const name = String(p.Name.SimpleName).toLowerCase();
    const v = c.constant(p.Expression);
    switch (name) {
      case "pair_delimiter": o.pair = String(v); break;
      case "kv_delimiter": o.kv = String(v); break;
      case "quote": o.quote = String(v); break;
      case "escape": o.escape = String(v); break;
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
  const conv = (text: string | undefined, t: KqlType): Value => {
    if (text === undefined) return nullOf(t);
    if (t === "string") return text;
    try { return convertTo(text, "string", t); } catch { return nullOf(t); }
  };
  const sf = src.f, st = src.t;
  return {
    columns: outCols,
    run: () => input.run().map((r): Row => {
      const v = sf(r);
      const m = extract(st === "string" ? (v as string) : kqlToString(v, st));
      return [...r, ...keyCols.map((k) => conv(m.get(k.name), k.type))];
    }),
  };
}
