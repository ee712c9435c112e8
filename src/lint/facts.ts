// Everything lint needs from one Kusto.Language analysis of a query, as plain data: diagnostics, output
// columns, tables read, ago() windows, `contains` uses, `search *` / `union *`, watchlist aliases and the names
// the query references. Plain data so it can be cached on disk and computed in worker threads.
// Positions are 1-based line/column in the ORIGINAL query text (parameter prelude removed); a diagnostic inside
// the prelude has line <= 0.
import { createHash } from "node:crypto";
import { bindParameters } from "../content/parameters.js";
import type { ParameterDecl } from "../content/model.js";
import { analyze, type KqlDiagnostic, type ResultColumn } from "../kql/frontend.js";
import { kusto, toArray, type KAny } from "../kql/kusto.js";
import type { KqlType } from "../kql/values.js";
import type { SchemaSet } from "../schemas/model.js";

export interface QueryPos { line: number; column: number }

export interface KqlFacts {
  diagnostics: (KqlDiagnostic & { endLine: number; endColumn: number })[];
  resultColumns: ResultColumn[] | undefined;
  tables: string[];
  /** ago(<constant timespan>) calls, window in seconds. */
  agoWindows: (QueryPos & { seconds: number })[];
  /** `contains` / `!contains` with a string literal right operand. */
  contains: (QueryPos & { operator: string; literal: string })[];
  /** `search *` and `union *` (or a wildcard union) uses. */
  wildcards: (QueryPos & { operator: "search" | "union"; text: string })[];
  watchlists: (QueryPos & { alias: string })[];
  /** Names referenced anywhere (columns, variables, functions), for "declared but unused" checks. */
  names: string[];
  /** True when the query compares a time column or calls a time function (ago, now, between on datetimes…). */
  hasTimeFilter: boolean;
}

/** Bumped whenever KqlFacts' meaning changes, so caches built by an older scac are not reused. */
export const FACTS_VERSION = 1;

/** Sentinel hunting-query time placeholders, replaced by same-length text so positions stay exact. */
const PLACEHOLDERS: [RegExp, string][] = [
  [/\{\{StartTimeISO\}\}/g, "2000-01-01T00:00"],
  [/\{\{EndTimeISO\}\}/g, "2000-01-02T00Z"],
];

export function substitutePlaceholders(query: string): string {
  let q = query;
  for (const [re, v] of PLACEHOLDERS) q = q.replace(re, v);
  return q;
}

/** Values used only to bind parameters for analysis: any valid literal of the declared type will do. */
const SAMPLE: Record<KqlType, unknown> = {
  bool: false, int: 0, long: 0, real: 0, decimal: 0, string: "", datetime: "2000-01-01T00:00:00Z",
  timespan: "1d", guid: "00000000-0000-0000-0000-000000000000", dynamic: [],
};

export function factsKey(query: string, parameters: readonly ParameterDecl[], schemaHash: string): string {
  return createHash("sha256")
    .update(`${FACTS_VERSION}\0${schemaHash}\0${JSON.stringify(parameters.map((p) => [p.name, p.type]))}\0${query}`)
    .digest("hex");
}

export function computeFacts(query: string, parameters: readonly ParameterDecl[], schemas: SchemaSet): KqlFacts {
  const values = Object.fromEntries(parameters.map((p) => [p.name, SAMPLE[p.type]]));
  const { query: bound, prelude } = bindParameters(substitutePlaceholders(query), parameters, values);
  const a = analyze(bound, schemas);
  const code = a.code;
  const K = kusto();
  const posOf = (offset: number): QueryPos => {
    const line = { v: 0 }, col = { v: 0 };
    code.TryGetLineAndOffset(offset, line, col);
    return { line: line.v - prelude.lines, column: col.v };
  };
  const diagnostics = a.diagnostics.map((d) => {
    const end = posOf(d.start + Math.max(0, d.length));
    return { ...d, line: d.line - prelude.lines, endLine: end.line, endColumn: end.column };
  });
  const facts: KqlFacts = {
    diagnostics, resultColumns: a.resultColumns, tables: [], agoWindows: [], contains: [], wildcards: [], watchlists: [], names: [], hasTimeFilter: false,
  };
  const tables = new Set<string>(), names = new Set<string>();
  const preludeEnd = prelude.text.length;
  const k = kinds();
  K.Syntax.SyntaxElement.WalkNodes(code.Syntax, (n: KAny) => {
    if (n.TextStart < preludeEnd) return;
    const kind = n.Kind as number;
    if (!k.interesting.has(kind)) return;
    const sym = n.ReferencedSymbol;
    if (kind === k.NameReference && sym) {
      names.add(sym.Name);
      if (sym.Kind === K.Symbols.SymbolKind.Table && tablesHas(schemas, sym.Name)) tables.add(sym.Name);
      if (sym.Kind === K.Symbols.SymbolKind.Column && (sym.Type?.Name === "datetime") && n.Parent && k.comparisons.has(n.Parent.Kind)) facts.hasTimeFilter = true;
    } else if (kind === k.FunctionCallExpression && sym) {
      const fname = sym.Name as string;
      if (fname === "ago" || fname === "now" || fname.startsWith("startof") || fname.startsWith("endof")) facts.hasTimeFilter = true;
      const args = toArray(n.ArgumentList?.Expressions).map((e: KAny) => e.Element);
      if (fname === "ago" && args.length === 1) {
        const seconds = timespanSeconds(args[0].ConstantValue);
        if (seconds !== undefined) facts.agoWindows.push({ ...posOf(n.TextStart), seconds });
      } else if (fname === "_GetWatchlist" && args.length >= 1 && typeof args[0].ConstantValue === "string") {
        facts.watchlists.push({ ...posOf(args[0].TextStart), alias: args[0].ConstantValue });
      }
    } else if (k.literals.has(kind) && typeof n.ConstantValue === "string" && tablesHas(schemas, n.ConstantValue)) {
      // `table("SigninLogs")` directly or through a let function's argument (a common Sentinel pattern).
      tables.add(n.ConstantValue);
    } else if (k.contains.has(kind)) {
      const right = n.Right;
      if (right && typeof right.ConstantValue === "string") {
        facts.contains.push({ ...posOf(n.Operator.TextStart), operator: n.Operator.Text, literal: right.ConstantValue });
      }
    } else if (kind === k.SearchOperator) {
      const text = n.ToString(K.Syntax.IncludeTrivia.Minimal) as string;
      if (/^search\b[^|]*?(\*\s*$|\bin\s*\(\s*\*)/i.test(text) || /^search\s+\*/i.test(text)) facts.wildcards.push({ ...posOf(n.TextStart), operator: "search", text });
    } else if (kind === k.UnionOperator) {
      const text = n.ToString(K.Syntax.IncludeTrivia.Minimal) as string;
      if (/(^|[\s,(])\*(\s|,|\)|$)/.test(text.replace(/^union\b/, " "))) facts.wildcards.push({ ...posOf(n.TextStart), operator: "union", text });
    }
  });
  facts.tables = [...tables].sort();
  facts.names = [...names].sort();
  return facts;
}

function tablesHas(schemas: SchemaSet, name: string): boolean {
  return schemas.tables.has(name);
}

/** Syntax kinds the walk looks at, resolved once (comparing numbers, not enum names, keeps the walk cheap). */
let kindCache: ReturnType<typeof buildKinds> | undefined;
function buildKinds() {
  const SK = kusto().Syntax.SyntaxKind;
  const set = (...names: string[]) => new Set<number>(names.map((n) => SK[n] as number));
  const k = {
    NameReference: SK.NameReference as number,
    FunctionCallExpression: SK.FunctionCallExpression as number,
    SearchOperator: SK.SearchOperator as number,
    UnionOperator: SK.UnionOperator as number,
    contains: set("ContainsExpression", "NotContainsExpression", "ContainsCsExpression", "NotContainsCsExpression"),
    literals: set("StringLiteralExpression", "CompoundStringLiteralExpression"),
    // A datetime column compared or range-tested counts as a time filter.
    comparisons: set("GreaterThanExpression", "GreaterThanOrEqualExpression", "LessThanExpression", "LessThanOrEqualExpression", "BetweenExpression", "NotBetweenExpression"),
  };
  return { ...k, interesting: new Set<number>([k.NameReference, k.FunctionCallExpression, k.SearchOperator, k.UnionOperator, ...k.contains, ...k.literals]) };
}
function kinds() {
  return (kindCache ??= buildKinds());
}

function timespanSeconds(v: KAny): number | undefined {
  if (!v || !v.ticks || typeof v.ticks.toNumber !== "function") return undefined;
  return v.ticks.toNumber() / 1e7;
}
