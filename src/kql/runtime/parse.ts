// parse / parse-where. The pattern becomes one regular expression: `*` skips text lazily, string literals match
// literally, string columns capture lazily (the last one, at the end of the pattern, takes the rest), typed
// columns capture their type's text. kind=simple is strict (a typed column that does not convert fails the
// whole match → all extracted columns null), kind=relaxed nulls only that column. parse-where drops
// non-matching rows. kind=regex patterns are regular expressions in Kusto's RE2 dialect.
import type { KAny } from "../kusto.js";
import type { Compiler } from "../compiler.js";
import { columnsOf, elems, kindOf } from "../compiler.js";
import type { KqlType, Value } from "../values.js";
import { nullOf } from "../values.js";
import { KqlError } from "../api.js";
import { convertTo, kqlToString } from "../builtins/conversion.js";
import { compileRegex } from "../builtins/regex.js";
import type { Plan, Row } from "./table.js";
import { forEachRow, indexColumns, streamPlan } from "./table.js";

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\\/]/g, "\\$&");

const TYPED_RE: Partial<Record<KqlType, string>> = {
  int: "(-?\\d+)",
  long: "(-?\\d+)",
  real: "(-?\\d+(?:\\.\\d*)?(?:[eE][+-]?\\d+)?)",
  decimal: "(-?\\d+(?:\\.\\d*)?)",
  bool: "(true|false|True|False|TRUE|FALSE|1|0)",
};

/**
 * Typed captures whose reading the parse page does not settle (it only shows long as `\-\d+`): a real written
 * with an exponent or a trailing '.', a bool other than true/false, and — in relaxed mode — text that is not the
 * type's own form but would still convert (tolong("1.5") == 1: null or 1?). Refused rather than guessed.
 */
function refuseDisputedCapture(type: KqlType, text: string, relaxedFallback: boolean): void {
  const disputed =
    ((type === "real" || type === "decimal") && (/[eE]/.test(text) || text.endsWith("."))) ||
    (type === "bool" && text !== "true" && text !== "false" && convert(text, type) !== undefined) ||
    (relaxedFallback && text !== "" && convert(text, type) !== undefined);
  if (disputed) throw new KqlError("unsupported", `unsupported: parse of '${text}' as ${type}${relaxedFallback ? " in relaxed mode" : ""} (reading not documented)`);
}

/** The extracted text converted with the to<type>() rules; undefined when it does not convert. */
function convert(text: string, t: KqlType): Value | undefined {
  if (t === "string") return text;
  let v: Value;
  try {
    v = convertTo(text, "string", t);
  } catch (e) {
    // A value the engine cannot hold exactly (a long beyond 2^53, an int beyond 32 bits) is refused, not taken as
    // "does not convert": parse-where would silently drop its row.
    if (e instanceof KqlError && e.kind === "unsupported") throw e;
    return undefined;
  }
  return v === null ? undefined : v;
}

export function compileParse(c: Compiler, op: KAny, input: Plan, filter: boolean): Plan {
  const outCols = columnsOf(op);
  const outIdx = indexColumns(outCols);
  let kind = "simple", flags = "";
  for (const p of elems(op.Parameters)) {
    const name = String(p.Name.SimpleName).toLowerCase();
    const v = String(p.Expression.ToString(0)).trim();
    if (name === "kind") kind = v.toLowerCase();
    else if (name === "flags") flags = v;
    else c.unsupported(p, `parse parameter ${name}`);
  }
  if (kind !== "simple" && kind !== "relaxed" && kind !== "regex") c.unsupported(op, `parse kind=${kind}`);
  if (flags && kind !== "regex") c.unsupported(op, "parse flags without kind=regex");
  if (flags && !/^[imsU]+$/.test(flags)) c.unsupported(op, `parse flags=${flags}`);
  const regexMode = kind === "regex";
  const src = c.scalar(op.Expression, c.rowEnv(input.columns));
  const patterns = elems(op.Patterns);
  const targets: { index: number; type: KqlType }[] = [];
  let re = "^";
  patterns.forEach((p, i) => {
    const k = kindOf(p);
    const last = i === patterns.length - 1;
    if (k === "StarExpression") re += regexMode ? ".*" : last ? "" : "[\\s\\S]*?";
    else if (k === "StringLiteralExpression" || k === "CompoundStringLiteralExpression") {
      const text = String(p.LiteralValue ?? "");
      re += regexMode ? `(?:${text})` : escapeRe(text);
    }
    else if (k === "NameDeclaration" || k === "NameAndTypeDeclaration") {
      const name = k === "NameDeclaration" ? p.SimpleName : p.Name.SimpleName;
      const index = outIdx.get(name);
      if (index === undefined) c.unsupported(p, `parse column '${name}'`);
      const type = outCols[index!]!.type;
      targets.push({ index: index!, type });
      // Regex mode: columns are greedy unless flags=U (the reference's greedy-default example).
      if (regexMode) { re += type === "string" || !TYPED_RE[type] ? "(.*)" : TYPED_RE[type]; return; }
      const next = patterns[i + 1];
      if (type !== "string" && !TYPED_RE[type] && next && kindOf(next) === "StarExpression") {
        // A lazy capture before `*` would always be empty: Kusto matches the type's own text there.
        c.unsupported(p, `parse: ${type} column followed by *`);
      }
      if (type === "string" || !TYPED_RE[type] || (kind === "relaxed" && last)) re += last ? "([\\s\\S]*)" : "([\\s\\S]*?)";
      // Relaxed: the type's text when it is there (so a following `*` does not swallow it), else any text up to
      // the next delimiter, which then fails to convert and gives null (parse-operator.md's relaxed example).
      else if (kind === "relaxed") re += `(${TYPED_RE[type]!.slice(1, -1)}|[\\s\\S]*?)`;
      else re += TYPED_RE[type];
    } else c.unsupported(p, `parse pattern element ${k}`);
  });
  // Simple/relaxed patterns are built from escaped literals (JS RegExp is exact there); regex-mode patterns are
  // user regexes in Kusto's RE2 dialect.
  let regex: { exec(s: string): (string | undefined)[] | null };
  if (regexMode) {
    const r2 = compileRegex((flags ? `(?${flags})` : "") + re);
    regex = { exec: (s) => { const m = r2.exec(s); return m ? m.groups : null; } };
  } else regex = new RegExp(re);
  // Simple/relaxed: a typed column ending the pattern leaves any following text unmatched; whether Kusto's
  // pattern must then reach the end of the text is not documented, so such rows are refused.
  const lastTyped = !regexMode && targets.length > 0 && kindOf(patterns[patterns.length - 1]) !== "StarExpression" &&
    kindOf(patterns[patterns.length - 1]) !== "StringLiteralExpression" && targets[targets.length - 1]!.type !== "string" &&
    TYPED_RE[targets[targets.length - 1]!.type] !== undefined;
  const typedWhole = new Map(Object.entries(TYPED_RE).map(([t, r]) => [t, new RegExp(`^${r}$`)]));
  const width = outCols.length;
  if (input.columns.some((col, i) => outCols[i]?.name !== col.name)) c.unsupported(op, "parse output schema");
  const sf = src.f, st = src.t;
  const pad: Value[] = new Array(Math.max(0, width - input.columns.length)).fill(null);
  return streamPlan(outCols, (sink) => forEachRow(input, (r) => {
    const v = sf(r);
    const text = st === "string" ? (v as string) : kqlToString(v, st);
    const m = regex.exec(text);
    let vals: Value[] | undefined;
    if (m && lastTyped && (m[0] ?? "").length < text.length) {
      throw new KqlError("unsupported", "unsupported: parse pattern ending with a typed column followed by unmatched text (not documented)");
    }
    if (m) {
      vals = [];
      for (let i = 0; i < targets.length; i++) {
        const t = targets[i]!;
        if (!regexMode) {
          const txt = m[i + 1] ?? "";
          const whole = typedWhole.get(t.type);
          refuseDisputedCapture(t.type, txt, kind === "relaxed" && whole !== undefined && !whole.test(txt));
        }
        const cv = convert(m[i + 1] ?? "", t.type);
        if (cv === undefined) {
          if (kind === "relaxed") { vals.push(nullOf(t.type)); continue; }
          vals = undefined;
          break;
        }
        vals.push(cv);
      }
    }
    if (!vals && filter) return;
    const o: Row = r.concat(pad);
    targets.forEach((t, i) => { o[t.index] = vals ? vals[i]! : nullOf(t.type); });
    sink(o);
  }));
}
