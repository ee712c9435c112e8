// `* has "x"` (any column) and the search operator (search-operator.md). Search is `union <sources> | where
// <predicate>` with a leading `$table` column naming each row's source; a bare term in its predicate is a `*`
// search whose operator follows the term's wildcards (has, hasprefix, hassuffix, contains).
//
// Which non-string columns `*` looks at, and in which text form, the reference does not say. String columns are
// searched exactly; a row that no string column matches but whose non-string value could contain the term in
// some rendering is refused (unsupported) rather than guessed either way.
import { KqlError, type ResultColumnInfo } from "../api.js";
import type { KAny } from "../kusto.js";
import { toArray } from "../kusto.js";
import { resultColumnsOf } from "../frontend.js";
import type { CExpr, Compiler, Env, Expr } from "../compiler.js";
import { asNameOf, columnsOf, elems, kindOf } from "../compiler.js";
import { compileStringPredicate } from "../builtins/stringops.js";
import type { KqlType, Value } from "../values.js";
import type { Plan, Row } from "./table.js";

/** Operators `*` may take, per search-operator.md's predicate table (negations are refused: any or all columns?). */
const STAR_OPS = new Set(["has", "has_cs", "hasprefix", "hasprefix_cs", "hassuffix", "hassuffix_cs", "contains", "contains_cs"]);

/** `* <op> "term"` in any expression (where, search): true when some column matches. */
export function compileStarOperator(c: Compiler, node: KAny, op: string, env: Env): CExpr {
  if (!STAR_OPS.has(op)) return c.unsupported(node, `'*' with operator ${op}`);
  const right = c.scalar(node.Right, env);
  if (!right.konst || typeof right.konst.v !== "string") return c.unsupported(node, `'* ${op}' with a non-constant term`);
  return { f: starMatcher(c, node, op, right.konst.v, env.columns.map((col, i) => ({ col, i }))), t: "bool" };
}

function starMatcher(c: Compiler, node: KAny, op: string, term: string, cols: { col: ResultColumnInfo; i: number }[]): Expr {
  const pred = compileStringPredicate(op, term)!;
  const strings = cols.filter(({ col }) => col.type === "string").map(({ i }) => i);
  const others = cols.filter(({ col }) => col.type !== "string");
  const core = alnum(term);
  const p = c.pos(node);
  const refuse = (col: ResultColumnInfo): never => {
    throw new KqlError("unsupported", `unsupported: '*' search of term '${term}' where only the ${col.type} column '${col.name}' could match at ${p.line}:${p.column}`, p.line, p.column);
  };
  return (r: Row) => {
    for (let j = 0; j < strings.length; j++) if (pred(r[strings[j]!] as string)) return true;
    for (const { col, i } of others) if (r[i] !== null && couldContain(r[i]!, col.type, core)) refuse(col);
    return false;
  };
}

/** Lower-case ASCII letters and digits: if a term occurs in a text, its core occurs in the text's core. */
function alnum(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]/g, "");
}

/** Cores that some text rendering of a scalar type can contain (numbers: digits around an exponent, NaN, ∞). */
const NUMBER_CORE = (core: string): boolean => /^[0-9]*e?[0-9]*$/.test(core) || "nan".includes(core) || "infinity".includes(core);
const RENDERABLE: Partial<Record<KqlType, (core: string) => boolean>> = {
  int: NUMBER_CORE, long: NUMBER_CORE, real: NUMBER_CORE, decimal: NUMBER_CORE,
  datetime: (core) => /^[0-9]*t?[0-9]*z?$/.test(core),
  timespan: (core) => /^[0-9]*$/.test(core),
  guid: (core) => /^[0-9a-f]*$/.test(core),
  bool: (core) => "true".includes(core) || "false".includes(core) || core === "0" || core === "1",
};

/** Over-approximation: false only when no rendering of `v` can contain the term. */
function couldContain(v: Value, t: KqlType, core: string): boolean {
  if (core === "") return true;
  if (t === "dynamic") {
    const json = alnum(JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? x.toString() : x)) ?? "");
    return json.includes(core) || (NUMBER_CORE(core) && /[0-9]/.test(json));
  }
  const renderable = RENDERABLE[t];
  return !renderable || renderable(core);
}

// ---------- search ----------

interface Source { label: string; plan: Plan }

export function compileSearch(c: Compiler, op: KAny, input: Plan | undefined): Plan {
  const outCols = columnsOf(op);
  let caseSensitive = false;
  for (const p of elems(op.Parameters)) {
    const name = String(p.Name.SimpleName ?? p.Name.ToString(0)).trim().toLowerCase();
    const value = String(p.Expression.ToString(0)).trim().toLowerCase();
    if (name !== "kind") c.unsupported(p, `search parameter ${name}`);
    if (value === "case_sensitive") caseSensitive = true;
    else if (value !== "default" && value !== "case_insensitive") c.unsupported(p, `search kind=${value}`);
  }
  const sources = searchSources(c, op, input);
  // The output is `$table` then the sources' columns. Kusto documents it only as "project-smart", so sources with
  // different columns (whose merged schema that could change) are refused.
  const first = sources[0]?.plan.columns ?? [];
  const sig = (cols: ResultColumnInfo[]) => cols.map((x) => `${x.name}:${x.type}`).join(",");
  if (sources.some((s) => sig(s.plan.columns) !== sig(first))) c.unsupported(op, "search over sources with different columns");
  const merged: ResultColumnInfo[] = [{ name: "$table", type: "string" }, ...first];
  if (sources.length === 0 || sig(merged) !== sig(outCols)) c.unsupported(op, "search output schema");
  const env = c.rowEnv(outCols);
  // `*` never includes the generated $table column.
  const searchable = outCols.map((col, i) => ({ col, i })).filter(({ i }) => i > 0);
  const pred = searchPredicate(c, op.Condition, env, searchable, caseSensitive);
  return {
    columns: outCols,
    run: () => {
      const out: Row[] = [];
      for (const s of sources) {
        for (const r of s.plan.run()) {
          const row: Row = [s.label, ...r];
          if (pred(row) === true) out.push(row);
        }
      }
      return out;
    },
  };
}

/** Piped input (a table name), `in (…)` (tables, wildcards, views), or every table and view in scope. */
function searchSources(c: Compiler, op: KAny, input: Plan | undefined): Source[] {
  if (input) {
    const left = op.Parent && kindOf(op.Parent) === "PipeExpression" ? op.Parent.Expression : undefined;
    const sym = left && kindOf(left) === "NameReference" ? left.ReferencedSymbol : undefined;
    // Kusto names a composite source "some system-generated name": only a table's name, or one given by `as`
    // (as-operator.md: used in search's $table), is known.
    const named = asNameOf(left);
    if (named !== undefined) return [{ label: named, plan: input }];
    if (!sym || c.symbolKindOf(sym) !== "Table") return c.unsupported(op, "search over piped input that is not a table name (or named by as)");
    return [{ label: String(sym.Name), plan: input }];
  }
  const inClause = op.InClause;
  if (inClause) {
    const out: Source[] = [];
    for (const e of elems(inClause.Expressions)) {
      const sym = kindOf(e) === "NameReference" ? e.ReferencedSymbol : undefined;
      const sk = sym ? c.symbolKindOf(sym) : "";
      if (sk === "Table") out.push(tableSource(c, sym));
      else if (sk === "Group") {
        for (const m of toArray(sym.Members)) {
          if (c.symbolKindOf(m) !== "Table") c.unsupported(e, `search in a wildcard matching ${c.symbolKindOf(m).toLowerCase()} '${m.Name}'`);
          out.push(tableSource(c, m));
        }
      } else if (sk === "Function" && sym.IsView) out.push(viewSource(c, e, sym));
      else c.unsupported(e, "search in a source that is not a table, wildcard or view name");
    }
    return out;
  }
  // Without sources Kusto searches every table and view of the database, so the answer depends on which schemas
  // the run loaded (the CLI loads all of Sentinel's); refused rather than tied to one environment.
  return c.unsupported(op, "search without 'in (…)' or piped input (searches the whole database)");
}

function tableSource(c: Compiler, sym: KAny): Source {
  const name = String(sym.Name);
  return { label: name, plan: c.tableByName(name, resultColumnsOf(sym) ?? []) };
}

function viewSource(c: Compiler, node: KAny, sym: KAny): Source {
  const plan = c.viewPlan(sym);
  if (!plan) return c.unsupported(node, `search over view '${sym.Name}'`);
  return { label: String(sym.Name), plan };
}

/** The search predicate: bare terms and `Col:"x"` are search syntax; anything else is an ordinary expression. */
function searchPredicate(c: Compiler, node: KAny, env: Env, cols: { col: ResultColumnInfo; i: number }[], cs: boolean): Expr {
  const k = kindOf(node);
  const bool = String(node.ResultType?.Name ?? "") === "bool";
  switch (k) {
    case "ParenthesizedExpression": return searchPredicate(c, node.Expression, env, cols, cs);
    case "AndExpression": case "OrExpression": {
      const l = searchPredicate(c, node.Left, env, cols, cs), r = searchPredicate(c, node.Right, env, cols, cs);
      // Kusto's three-valued and/or (null = unknown); only `true` keeps a row.
      return k === "AndExpression"
        ? (row) => { const a = l(row); if (a === false) return false; const b = r(row); if (b === false) return false; return a === true && b === true ? true : null; }
        : (row) => { const a = l(row); if (a === true) return true; const b = r(row); if (b === true) return true; return a === false && b === false ? false : null; };
    }
    case "StarExpression": if (bool) return () => true; break;
    case "StringLiteralExpression": if (bool) return termMatcher(c, node, String(node.LiteralValue ?? ""), cols, cs); break;
    case "SearchExpression": {
      const col = c.scalar(node.Left, env);
      const term = String(node.Right.LiteralValue ?? "");
      if (col.t !== "string" || kindOf(node.Right) !== "StringLiteralExpression" || term.includes("*")) c.unsupported(node, "search Column:term form");
      const pred = compileStringPredicate(cs ? "has_cs" : "has", term)!;
      const f = col.f;
      return (row) => pred(f(row) as string);
    }
    default: break;
  }
  if (hasSearchSyntax(node)) c.unsupported(node, "search syntax inside this expression");
  // kind=case_sensitive makes every string operator case-sensitive; refuse the case-insensitive ones.
  if (cs && hasCaseInsensitiveOperator(node)) c.unsupported(node, "a case-insensitive string operator in search kind=case_sensitive");
  return c.scalar(node, env).f;
}

/** A bare search term: `x` → has, `*x` → hassuffix, `x*` → hasprefix, `*x*` → contains (search-operator.md). */
function termMatcher(c: Compiler, node: KAny, term: string, cols: { col: ResultColumnInfo; i: number }[], cs: boolean): Expr {
  const lead = term.startsWith("*"), trail = term.length > 1 && term.endsWith("*");
  const inner = term.slice(lead ? 1 : 0, trail ? -1 : undefined);
  if (inner === "" || inner.includes("*")) return c.unsupported(node, `search term "${term}"`);
  const op = lead && trail ? "contains" : lead ? "hassuffix" : trail ? "hasprefix" : "has";
  return starMatcher(c, node, cs ? `${op}_cs` : op, inner, cols);
}

function someNode(node: KAny, test: (n: KAny) => boolean): boolean {
  if (!node) return false;
  if (test(node)) return true;
  for (let i = 0; i < node.ChildCount; i++) if (someNode(node.GetChild(i), test)) return true;
  return false;
}

function hasSearchSyntax(node: KAny): boolean {
  return someNode(node, (n) => {
    const k = kindOf(n);
    const bool = String(n.ResultType?.Name ?? "") === "bool";
    return k === "SearchExpression" || ((k === "StringLiteralExpression" || k === "StarExpression") && bool);
  });
}

const CASE_INSENSITIVE = /^(Not)?(Has|HasPrefix|HasSuffix|Contains|StartsWith|EndsWith)Expression$|^(EqualTilde|BangTilde|InTilde|NotInTilde|HasAny|HasAll)Expression$/;

function hasCaseInsensitiveOperator(node: KAny): boolean {
  return someNode(node, (n) => CASE_INSENSITIVE.test(kindOf(n)));
}
