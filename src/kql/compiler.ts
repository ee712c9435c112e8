// Compiles Kusto.Language's bound syntax tree into closures over row arrays. The binder is the authority on
// names, types and output columns (count_, Column1, join's a1…): every operator takes its output schema from
// the node's ResultType and only computes values. Anything this compiler does not implement raises
// `unsupported: <what> at line:col` — never a silently different answer.
import { KqlError, type ResultColumnInfo } from "./api.js";
import { bridgeSystem, kusto, syntaxKindName, toArray, type KAny } from "./kusto.js";
import { resultColumnsOf } from "./frontend.js";
import type { Dyn, KqlType, Value } from "./values.js";
import { DynScalar, TICKS_PER_DAY, dynNum, isWholeReal, normalizeTypeName, nullOf, parseTimespan } from "./values.js";
import { parseDatetimeStrict, parseTimespanStrict } from "./datetime-text.js";
import {
  getAggregate, invokeScalar, invokeTuple, resolveScalar, type Accumulator, type EvalContext, type GroupedAccumulator,
  type ResolvedCall,
} from "./builtins/registry.js";
import { convertTo, kqlToString, parseDatetimeText } from "./builtins/conversion.js";
import { STRING_OPERATORS, compileSetPredicate, compileStringPredicate } from "./builtins/stringops.js";
import {
  RuntimeError, arithmetic, compositeKey, dynIndex, dynMember, eqOp, keyOf, neOp, relOp,
  sortComparator, valueEquals,
} from "./runtime/ops.js";
import { feedRows, forEachBorrowedRow, forEachNeededRow, forEachRow, forEachWeightedRow, indexColumns, memoPlan, neededPositions, streamPlan, unionNeed, type Need, type Plan, type Row, type Sink, type StreamPlan, type WeightedSink } from "./runtime/table.js";
import { demandOf, dictionaryWhere, rowPure, scanRows, scanSourceOf, trackingEnv, weightedScan, withScanSource, type ScanSource } from "./runtime/dictwhere.js";
import { compileJoin, compileLookup } from "./runtime/join.js";
import { summarizeRows, type KeySpec } from "./runtime/group.js";
import { castDynamic, compileMvExpand } from "./runtime/mvexpand.js";
import { slotColumn } from "./runtime/bagunpack.js";
import { compileParse } from "./runtime/parse.js";
import { compileMvApply } from "./runtime/mvapply.js";
import { compileParseKv } from "./runtime/parsekv.js";
import { compileMakeSeries } from "./runtime/makeseries.js";
import { compileScan } from "./runtime/scan.js";
import { compileExternalData, type ExternalDataMap } from "./runtime/externaldata.js";
import { compileSearch, compileStarOperator } from "./runtime/search.js";
import { compileTopNested } from "./runtime/topnested.js";
import { compilePartition } from "./runtime/partition.js";
import { fuzzyUnion, isUnresolvedLeg } from "./runtime/fuzzyunion.js";
import { renamedUnionLayout } from "./runtime/union-rename.js";
import { compilePivot } from "./runtime/pivot.js";
import { compileRowsNear } from "./runtime/rowsnear.js";
import { compileSample, compileSampleDistinct } from "./runtime/sample.js";
import { daysInMonth, fromCivil, toDyn as builtinToDyn } from "./builtins/c2-util.js";
import { ExactIntSum, INT32_MIN, fitsInt32 } from "./int64.js";

export type Expr = (row: Row) => Value;

/** A compiled scalar expression: evaluator, KQL type, and the value when it is a compile-time constant. */
export interface CExpr {
  f: Expr;
  t: KqlType;
  konst?: { v: Value };
}

/** Row position for row_number()/prev()/next(); `used` forces the operator to materialise its input. */
interface Cursor { rows: Row[]; i: number; used?: boolean }

/**
 * A plan whose expressions use window functions (row_number, prev, next…): the whole input is materialised and
 * rows are evaluated in order with the cursor on each, so those functions can look at neighbouring rows.
 */
function cursorPlan(columns: ResultColumnInfo[], input: Plan, cursor: Cursor, each: (row: Row, out: Row[]) => void): Plan {
  return {
    columns,
    run: () => {
      const rows = input.run();
      cursor.rows = rows;
      const out: Row[] = [];
      for (let i = 0; i < rows.length; i++) {
        cursor.i = i;
        each(rows[i]!, out);
      }
      return out;
    },
  };
}

/** Collects aggregate calls met while compiling a summarize aggregate expression. */
interface AggSlots {
  slots: AggSlot[];
  /** The input rows' environment: aggregate arguments are evaluated per input row. */
  rowEnv: Env;
}

export interface AggSlot {
  /** Called once per run: returns that run's per-group accumulator constructor (its groups may share state). */
  groups: () => () => Accumulator;
  args: Expr[];
  /** Multi-column aggregates (arg_max/arg_min) occupy several output columns. */
  width: number;
  /** count(): summarize keeps a plain counter per group (runtime/group.ts). */
  count?: boolean;
  /** Called once per run when the aggregate keeps all its groups' state itself (AggregateFunction.grouped). */
  grouped?: () => GroupedAccumulator;
}

export interface Env {
  cols: Map<string, number>;
  columns: ResultColumnInfo[];
  /** The columns pack_all() packs when they differ from `columns` (extend: its input, not its new columns). */
  packColumns?: ResultColumnInfo[];
  cursor?: Cursor;
  agg?: AggSlots;
  /** Resolves `qualifier.column` where the qualifier names tabular state (scan steps); undefined = not handled. */
  qualified?: (node: KAny, qualifier: string, column: string) => CExpr | undefined;
}

type Binding =
  | { kind: "scalar"; e: CExpr; env?: Env }
  | { kind: "table"; plan: Plan }
  | { kind: "function"; body: KAny };

export interface CompileInput {
  code: KAny;
  /** Table name → rows already coerced to the schema's column order. */
  tables: Map<string, { columns: ResultColumnInfo[]; rows: Row[] }>;
  ctx: EvalContext;
  /** externaldata URL → local rows or file content (runtime/externaldata.ts). */
  externalData?: ExternalDataMap;
}

const TICKS_OFFSET_0001 = 621355968000000000n; // .NET DateTime ticks at the Unix epoch

let builtinFns: Set<KAny> | undefined;
let aggregateFns: Set<KAny> | undefined;
export function symbolSets(): { fns: Set<KAny>; aggs: Set<KAny> } {
  if (!builtinFns || !aggregateFns) {
    const K = kusto();
    const pick = (o: KAny) => new Set(Object.values(o).filter((v: KAny) => v && typeof v === "object" && typeof v.Name === "string"));
    builtinFns = pick(K.Functions);
    aggregateFns = pick(K.Aggregates);
  }
  return { fns: builtinFns, aggs: aggregateFns };
}

export function kindOf(node: KAny): string {
  return syntaxKindName(node.Kind);
}

/** `name = value` in a call's argument list. */
function isNamedArgument(node: KAny): boolean {
  return kindOf(node) === "SimpleNamedExpression";
}

function symbolKind(sym: KAny): string {
  const K = kusto();
  return (globalThis as KAny).System.Enum.toString(K.Symbols.SymbolKind, sym.Kind);
}

/** Elements of a SyntaxList (unwrapping SeparatedElement). */
export function elems(list: KAny): KAny[] {
  return toArray(list).map((x: KAny) => (x && x.Element !== undefined && kindOf(x) === "SeparatedElement" ? x.Element : x));
}

export function typeOfNode(node: KAny): KqlType {
  const rt = node.ResultType;
  const t = rt ? normalizeTypeName(String(rt.Name)) : undefined;
  return t ?? "dynamic";
}

export function columnsOf(node: KAny): ResultColumnInfo[] {
  return resultColumnsOf(node.ResultType) ?? [];
}

const konst = (v: Value, t: KqlType): CExpr => ({ f: () => v, t, konst: { v } });

export class Compiler {
  private readonly bindings = new Map<KAny, Binding>();
  /** Parameters of function expansions being compiled, innermost last (bound by name). */
  private readonly frames: Map<string, Binding>[] = [];
  /** Symbols of the user functions being expanded, innermost last (toscalar's once-per-function memo). */
  private readonly expanding: KAny[] = [];
  /** toscalar() in a parameterless function: one value for every call (named-expressions.md), by symbol and offset. */
  private readonly toscalarMemo = new Map<KAny, Map<number, CExpr>>();
  private readonly asTables = new Map<string, Plan>();
  /** The constant values of `set query_bin_auto_size / query_bin_auto_at` statements, for bin_auto(). */
  private readonly binAutoOptions = new Map<string, CExpr>();
  /** Counts references to per-row function arguments compiled so far (compileLet: does a let depend on the row?). */
  private rowArgumentRefs = 0;

  constructor(private readonly input: CompileInput) {}

  // ---------- errors ----------

  pos(node: KAny): { line: number; column: number } {
    const line = { v: 0 }, col = { v: 0 };
    try {
      this.input.code.TryGetLineAndOffset(node.TextStart, line, col);
    } catch { /* position unknown */ }
    return { line: line.v, column: col.v };
  }

  unsupported(node: KAny, what: string): never {
    const p = this.pos(node);
    throw new KqlError("unsupported", `unsupported: ${what} at ${p.line}:${p.column}`, p.line, p.column);
  }

  /** Rethrows `e`; an `unsupported` error raised without a position (by a builtin) gets `node`'s line:col. */
  private locateUnsupported(e: unknown, node: KAny): never {
    if (!(e instanceof KqlError) || e.kind !== "unsupported" || e.line || /at \d+:\d+$/.test(e.message)) throw e;
    const p = this.pos(node);
    throw new KqlError("unsupported", `${e.message} at ${p.line}:${p.column}`, p.line, p.column);
  }

  // ---------- statements ----------

  /** Compiles a whole query block; returns the plan of its (single) result expression. */
  compileQuery(root: KAny): Plan {
    const statements = elems(root.Statements);
    let result: Plan | undefined;
    for (const st of statements) {
      const k = kindOf(st);
      if (k === "LetStatement") this.compileLet(st);
      else if (k === "SetOptionStatement") {
        // Result-size and scheduling options do not change answers; anything else (query_now…) might.
        const opt = String(st.Name?.SimpleName ?? "").toLowerCase();
        if (BIN_AUTO_OPTIONS.has(opt)) this.setBinAutoOption(st, opt);
        else if (!NEUTRAL_OPTIONS.has(opt)) this.unsupported(st, `set ${opt}`);
      } else if (k === "ExpressionStatement") {
        if (result) this.unsupported(st, "several result statements in one query");
        result = this.tabularOrPrint(st.Expression);
      } else this.unsupported(st, `statement ${k.replace(/Statement$/, "").toLowerCase()}`);
    }
    if (!result) {
      const p = this.pos(root);
      throw new KqlError("semantic", "the query has no result expression (only let statements)", p.line, p.column);
    }
    return result;
  }

  private tabularOrPrint(expr: KAny): Plan {
    if (this.isTabular(expr)) return this.tabular(expr);
    this.unsupported(expr, "a scalar expression as a query result (use print)");
  }

  isTabular(node: KAny): boolean {
    const rt = node.ResultType;
    return !!rt && symbolKind(rt) === "Table";
  }

  /** `callEnv`: the calling row's environment, for a let inside a scalar function called per row. */
  private compileLet(st: KAny, callEnv?: Env): void {
    const sym = st.Name.ReferencedSymbol;
    const expr = st.Expression;
    const k = kindOf(expr);
    // Calls compile the binder's expansion of the body; a parameterless view may be referenced by bare name.
    if (k === "FunctionDeclaration") { this.bindings.set(sym, { kind: "function", body: expr.Body }); return; }
    if (this.isTabular(expr)) {
      const plan = memoPlan(this.tabular(expr));
      this.bindings.set(sym, { kind: "table", plan });
      return;
    }
    // A scalar let is an expression without row context: constants fold; anything else (new_guid(), rand(),
    // toscalar() — which caches itself) is evaluated where it is used, as Kusto does.
    const refs = this.rowArgumentRefs;
    const e = this.scalar(expr, callEnv ?? emptyEnv());
    // A let over the calling row's arguments is itself per row (bound to that row's environment).
    if (callEnv && this.rowArgumentRefs !== refs) this.bindings.set(sym, { kind: "scalar", e, env: callEnv });
    else this.bindings.set(sym, { kind: "scalar", e: e.konst ? e : { f: () => e.f([]), t: e.t } });
  }

  private lookupBinding(node: KAny, sym: KAny): Binding | undefined {
    const b = this.bindings.get(sym);
    if (b) return b;
    const name = sym?.Name ?? node.SimpleName;
    for (let i = this.frames.length - 1; i >= 0; i--) {
      const f = this.frames[i]!.get(name);
      if (f) return f;
    }
    return undefined;
  }

  // ---------- tabular expressions ----------

  tabular(node: KAny, inputPlan?: Plan): Plan {
    const k = kindOf(node);
    switch (k) {
      case "ParenthesizedExpression": return this.tabular(node.Expression, inputPlan);
      case "PipeExpression": {
        const pushed = this.filterBeforeInnerunique(node, inputPlan);
        if (pushed) return pushed;
        const left = this.tabular(node.Expression, inputPlan);
        return this.operator(node.Operator, left);
      }
      case "NameReference": return this.tableReference(node);
      case "DataTableExpression": return this.datatable(node);
      case "PrintOperator": return this.print(node);
      case "RangeOperator": return this.range(node);
      case "UnionOperator": return this.union(node, undefined);
      case "SearchOperator": return compileSearch(this, node, undefined);
      case "FunctionCallExpression": return this.tabularCall(node, inputPlan);
      case "MaterializeExpression": return memoPlan(this.tabular(node.Expression));
      default:
        if (k.endsWith("Operator") && inputPlan) return this.operator(node, inputPlan);
        if (k === "ExternalDataExpression") return compileExternalData(this, node, this.input.externalData);
        if (k.endsWith("Operator")) return this.unsupported(node, `operator ${operatorName(k)}`);
        // Another workspace/database/cluster's tables (`workspace("x").T`, see crossresource.ts) are not local.
        if (k === "PathExpression") return this.unsupported(node, "cross-workspace/database table reference");
        return this.unsupported(node, `tabular expression ${k.replace(/Expression$/, "")}`);
    }
  }

  private tableReference(node: KAny): Plan {
    const sym = node.ReferencedSymbol;
    if (!sym) this.unsupported(node, `reference '${node.SimpleName}'`);
    const sk = symbolKind(sym);
    if (sk === "Table") return this.tableByName(sym.Name, columnsOf(node));
    if (sk === "Variable" || sk === "Parameter") {
      const b = this.lookupBinding(node, sym);
      if (b?.kind === "table") return b.plan;
      return this.unsupported(node, `tabular reference '${sym.Name}'`);
    }
    if (sk === "Function") return this.tabularCall(node, undefined);
    return this.unsupported(node, `reference to ${sk.toLowerCase()} '${sym.Name}'`);
  }

  /** Symbol kind name (Table, Function, Group…), for the runtime modules. */
  symbolKindOf(sym: KAny): string {
    return symbolKind(sym);
  }

  /** A let view's rows (search in (View)); undefined unless it is a let binding without inner statements. */
  viewPlan(sym: KAny): Plan | undefined {
    const b = this.bindings.get(sym);
    if (b?.kind !== "function" || elems(b.body.Statements).length > 0) return undefined;
    return this.tabular(b.body.Expression);
  }

  /** A database table's rows (empty when not given), laid out in the binder's column order. */
  tableByName(name: string, columns: ResultColumnInfo[]): Plan {
    const asPlan = this.asTables.get(name);
    if (asPlan && !this.input.tables.has(name)) return asPlan;
    const t = this.input.tables.get(name);
    if (!t) return { columns, run: () => [] };
    const idx = indexColumns(t.columns);
    const map = columns.map((c) => idx.get(c.name));
    const identity = map.every((m, i) => m === i) && t.columns.length === columns.length;
    const layout = (r: Row): Row => map.map((m, i) => (m === undefined ? nullOf(columns[i]!.type) : r[m]!));
    const rows = t.rows;
    const scan: ScanSource = { rows, map, row: identity ? (i) => rows[i]! : (i) => layout(rows[i]!) };
    const eachWeighted = (need: Need, sink: WeightedSink): boolean => {
      const send = weightedScan(scan, columns, need);
      send?.(undefined, sink);
      return !!send;
    };
    return withScanSource({
      columns, run: () => (identity ? rows : rows.map(layout)), eachNeeded: (need: Need, sink: Sink) => scanRows(scan, columns, need, undefined, sink), eachWeighted,
    } as Plan, scan);
  }

  private datatable(node: KAny): Plan {
    const columns = columnsOf(node);
    const values = elems(node.Values).map((v: KAny) => this.scalar(v, emptyEnv()));
    const n = columns.length;
    if (n === 0 || values.length % n !== 0) this.unsupported(node, "datatable with a value count that is not a multiple of the column count");
    const rows: Row[] = [];
    for (let i = 0; i < values.length; i += n) {
      const row: Row = [];
      for (let j = 0; j < n; j++) {
        const e = values[i + j]!;
        row.push(this.convertTo(e.konst ? e.konst.v : e.f([]), e.t, columns[j]!.type, values[i + j] && node));
      }
      rows.push(row);
    }
    return { columns, run: () => rows };
  }

  /** Literal conversions where Kusto allows them (datatable int column given a long literal, etc.). */
  private convertTo(v: Value, from: KqlType, to: KqlType, node: KAny): Value {
    if (v === null) return nullOf(to);
    if (from === to) return v;
    if ((to === "int" || to === "long" || to === "real" || to === "decimal") && typeof v === "number") {
      // What Kusto makes of a long beyond 32 bits in an int column (or a real in an integer column) is not
      // documented: refused rather than stored as an impossible int.
      if (to === "int" && !(Number.isInteger(v) && fitsInt32(v))) return this.unsupported(node, `value ${v} in an int column (beyond int's 32-bit range or not an integer)`);
      if (to === "long" && !Number.isInteger(v)) return this.unsupported(node, `value ${v} in a long column (not an integer)`);
      return v;
    }
    if (to === "dynamic") return toDyn(v, from);
    const c = convertTo(v, from, to);
    if (c === null) return this.unsupported(node, `value of type ${from} in a ${to} column`);
    return c;
  }

  private print(node: KAny): Plan {
    const columns = columnsOf(node);
    const exprs = this.columnExprs(node, elems(node.Expressions), emptyEnv(), columns);
    // A refusal raised while evaluating (a volatile call such as rand(0)) gets print's position.
    return { columns, run: () => { try { return [exprs.map((f) => f([]))]; } catch (e) { return this.locateUnsupported(e, node); } } };
  }

  private range(node: KAny): Plan {
    const columns = columnsOf(node);
    const env = emptyEnv();
    const from = this.scalar(node.From, env), to = this.scalar(node.To, env), step = this.scalar(node.Step, env);
    const t = columns[0]!.type;
    return {
      columns,
      run: () => {
        const a = from.f([]), b = to.f([]), s = step.f([]);
        if (a === null || b === null || s === null) return [];
        const rows: Row[] = [];
        if (typeof a === "bigint") {
          const st = s as bigint;
          if (st === 0n) throw new RuntimeError("range step must not be zero");
          for (let x = a; st > 0n ? x <= (b as bigint) : x >= (b as bigint); x += st) {
            rows.push([x]);
            if (rows.length > 10_000_000) throw new RuntimeError("range produces too many rows");
          }
        } else {
          const st = Number(s);
          if (st === 0) throw new RuntimeError("range step must not be zero");
          const end = Number(b);
          for (let x = Number(a), i = 0; st > 0 ? x <= end : x >= end; i++, x = Number(a) + i * st) {
            rows.push([t === "int" || t === "long" ? Math.trunc(x) : x]);
            if (rows.length > 10_000_000) throw new RuntimeError("range produces too many rows");
          }
        }
        return rows;
      },
    };
  }

  /** Calls of user functions (let lambdas, stored functions) and tabular builtins. */
  private tabularCall(node: KAny, pipedInput: Plan | undefined): Plan {
    const sym = node.ReferencedSymbol;
    const name: string = sym?.Name ?? "";
    if (name === "materialize" || name === "view") {
      const args = this.callArgs(node);
      return memoPlan(this.tabular(args[0]));
    }
    if (name === "table" && kindOf(node) === "FunctionCallExpression") {
      // table('Name'): a table chosen by a constant name; the binder typed it.
      const args = this.callArgs(node);
      if (args.length !== 1) this.unsupported(node, "table() with a database scope");
      return this.tableByName(String(this.constant(args[0])), columnsOf(node));
    }
    const { fns } = symbolSets();
    if (fns.has(sym)) return this.unsupported(node, `tabular function ${name}()`);
    return this.expand(node, pipedInput) as Plan;
  }

  private callArgs(node: KAny): KAny[] {
    if (kindOf(node) !== "FunctionCallExpression") return [];
    const args = elems(node.ArgumentList.Expressions);
    const sym = node.ReferencedSymbol;
    const { fns, aggs } = symbolSets();
    // Plugins (bag_unpack options) and user functions (see userArguments) read argument names themselves.
    if (!args.some(isNamedArgument) || !(fns.has(sym) || aggs.has(sym))) return args;
    // A builtin's named argument standing in its own parameter's place means what it means unnamed; out of
    // place (the binder may reorder them) is refused rather than re-mapped onto the registry's overloads.
    const sig = node.ReferencedSignature;
    const declared: KAny[] = toArray(sig?.Parameters);
    const list = new (bridgeSystem().Collections.Generic.List$1(kusto().Syntax.Expression)).ctor();
    for (const a of args) list.add(a);
    const bound: KAny[] = sig ? toArray(sig.GetArgumentParameters(list)) : [];
    return args.map((a, i) => {
      if (!isNamedArgument(a)) return a;
      // The binder matches names case-insensitively (make_set(x, MaxSize=8)) but ignores them for repeated
      // parameters (case(p, strcat="…")): both the position and the name must agree.
      const p = declared[Math.min(i, declared.length - 1)];
      if (!bound[i] || bound[i] !== p || String(p.Name).toLowerCase() !== String(a.Name.SimpleName).toLowerCase()) {
        this.unsupported(a, `named argument '${a.Name.SimpleName}' other than the parameter at its position in ${sym.Name}()`);
      }
      return a.Expression;
    });
  }

  /**
   * Each declared parameter's argument (undefined when omitted): positional arguments fill parameters in order,
   * a named one binds by name (and, in its own place, lets positional ones follow — the binder refuses
   * positional arguments after an out-of-place name). `invoke`'s piped table is the first parameter.
   */
  private userArguments(node: KAny, params: KAny[], piped: boolean): (KAny | undefined)[] {
    const out: (KAny | undefined)[] = params.map(() => undefined);
    let next = piped ? 1 : 0;
    for (const a of this.callArgs(node)) {
      if (isNamedArgument(a)) {
        const pi = params.findIndex((p) => p.Name === a.Name.SimpleName);
        if (pi < 0 || out[pi] !== undefined || (piped && pi === 0)) this.unsupported(a, `argument '${a.Name.SimpleName}'`);
        out[pi] = a.Expression;
        if (pi === next) next++;
        continue;
      }
      while (next < params.length && out[next] !== undefined) next++;
      if (next >= params.length) this.unsupported(a, "extra argument");
      out[next++] = a;
    }
    return out;
  }

  /**
   * Compiles a user-defined function call through the binder's expansion of its body, binding parameters by
   * name (the piped table of `invoke` is the first parameter).
   */
  private expand(node: KAny, pipedInput: Plan | undefined, env?: Env): Plan | CExpr {
    const sym = node.ReferencedSymbol;
    const name = sym?.Name ?? "?";
    let body = kindOf(node) === "FunctionCallExpression" && typeof node.GetExpansion === "function" ? node.GetExpansion() : null;
    if (!body && sym) {
      const b = this.bindings.get(sym);
      if (b?.kind === "function") body = b.body;
    }
    if (!body) return this.unsupported(node, `function ${name}()`);
    const sig = node.ReferencedSignature ?? (sym.Signatures ? toArray(sym.Signatures)[0] : undefined);
    const params: KAny[] = sig ? toArray(sig.Parameters) : [];
    const args = this.userArguments(node, params, !!pipedInput);
    const frame = new Map<string, Binding>();
    for (let pi = 0; pi < params.length; pi++) {
      const p = params[pi];
      if (pi === 0 && pipedInput) { frame.set(p.Name, { kind: "table", plan: pipedInput }); continue; }
      const a = args[pi];
      if (!a) {
        if (p.DefaultValue) {
          frame.set(p.Name, { kind: "scalar", e: this.argumentAs(this.scalar(p.DefaultValue, emptyEnv()), p, p.DefaultValue) });
          continue;
        }
        return this.unsupported(node, `call of ${name}() without parameter '${p.Name}'`);
      }
      if (this.isTabular(a)) frame.set(p.Name, { kind: "table", plan: this.tabular(a) });
      else {
        const argEnv = env ?? emptyEnv();
        const e = this.argumentAs(this.scalar(a, argEnv), p, a);
        // Only an argument evaluated over rows (a call in extend/where…) is per row; elsewhere (a tabular call,
        // print) a non-constant argument such as toscalar(…) is one value, usable in the body's sub-queries.
        const perRow = !e.konst && !!env && (env.cols.size > 0 || !!env.cursor || !!env.agg);
        frame.set(p.Name, perRow ? { kind: "scalar", e, env } : { kind: "scalar", e: e.konst ? e : { f: () => e.f([]), t: e.t } });
      }
    }
    this.frames.push(frame);
    this.expanding.push(params.length === 0 ? sym : undefined);
    try {
      for (const st of elems(body.Statements)) {
        if (kindOf(st) === "LetStatement") this.compileLet(st, env);
        else if (kindOf(st) !== "ExpressionStatement") this.unsupported(st, `statement ${kindOf(st)} in a function body`);
      }
      const expr = body.Expression;
      if (this.isTabular(expr)) {
        const plan = this.tabular(expr);
        // The frame must outlive compilation only for closures already created; plans are compiled eagerly.
        return plan;
      }
      return this.scalar(expr, env ?? emptyEnv());
    } finally {
      this.frames.pop();
      this.expanding.pop();
    }
  }

  /** A scalar argument as its parameter's declared type (int → long/real widens; any value → dynamic). */
  private argumentAs(e: CExpr, param: KAny, node: KAny): CExpr {
    const declared = toArray(param.DeclaredTypes);
    const to = declared.length === 1 ? normalizeTypeName(String(declared[0].Name)) : undefined;
    if (!to || to === e.t) return e;
    if (e.konst?.v === null) return konst(nullOf(to), to);
    const numeric = (t: KqlType) => t === "int" || t === "long" || t === "real";
    if ((e.t === "int" && numeric(to)) || (e.t === "long" && to === "real")) return { ...e, t: to };
    if (e.t === "long" && to === "int") {
      // Narrowing is exact within int's range; beyond it Kusto's wrap-around or error is not documented.
      const fits = (v: Value) => v === null || (typeof v === "number" && fitsInt32(v));
      if (e.konst) return fits(e.konst.v) ? { ...e, t: to } : this.unsupported(node, `long argument beyond int's range for parameter '${param.Name}'`);
      const f = e.f;
      return { f: (r) => { const v = f(r); return fits(v) ? v : this.unsupported(node, `long argument beyond int's range for parameter '${param.Name}'`); }, t: to };
    }
    if (to !== "dynamic") return this.unsupported(node, `argument of type ${e.t} for parameter '${param.Name}' of type ${to}`);
    const from = e.t, f = e.f;
    return e.konst ? konst(toDyn(e.konst.v, from), to) : { f: (r) => toDyn(f(r), from), t: to };
  }

  // ---------- query operators ----------

  /** Compiles one operator; a non-KqlError thrown while compiling or running it becomes a runtime KqlError. */
  private operator(op: KAny, input: Plan): Plan {
    const k = kindOf(op);
    const fail = (e: unknown): never => {
      const p = this.pos(op);
      if (e instanceof KqlError) {
        if (e.line || /at \d+:\d+$/.test(e.message)) throw e;
        // Raised by a builtin, which knows no position: name the operator evaluating it.
        throw new KqlError(e.kind, `${e.message} (in ${operatorName(k)}) at ${p.line}:${p.column}`, p.line, p.column);
      }
      const what = e instanceof RuntimeError || e instanceof RangeError ? "" : "internal error: ";
      throw new KqlError("runtime", `${what}${(e as Error)?.message ?? String(e)} (in ${operatorName(k)} at ${p.line}:${p.column})`, p.line, p.column);
    };
    let plan: Plan;
    try { plan = this.operatorPlan(op, input, k); } catch (e) { return fail(e); }
    const run = plan.run;
    const { each, eachBorrowed, eachNeeded, eachWeighted } = plan as Partial<StreamPlan>;
    const guarded: Plan & Partial<StreamPlan> = { ...plan, run: () => { try { return run(); } catch (e) { return fail(e); } } };
    // Errors raised by the downstream sink belong to the downstream operator: carry them through unchanged.
    const stream = <T>(produce: (sink: (r: Row, w?: number) => void) => T, sink: WeightedSink): T => {
      try {
        return produce((r, w) => { try { sink(r, w!); } catch (e) { throw new Downstream(e); } });
      } catch (e) {
        if (e instanceof Downstream) throw e.error;
        return fail(e);
      }
    };
    if (each) guarded.each = (sink) => stream(each, sink);
    if (eachBorrowed) guarded.eachBorrowed = (sink) => stream(eachBorrowed, sink);
    if (eachNeeded) guarded.eachNeeded = (need, sink) => stream((s) => eachNeeded(need, s), sink);
    if (eachWeighted) guarded.eachWeighted = (need, sink) => stream((s) => eachWeighted(need, s), sink);
    return guarded;
  }

  private operatorPlan(op: KAny, input: Plan, k: string): Plan {
    switch (k) {
      case "FilterOperator": return this.where(op, input);
      case "ExtendOperator": return this.extend(op, input);
      case "ProjectOperator": return this.project(op, input);
      case "ProjectAwayOperator": case "ProjectKeepOperator": case "ProjectReorderOperator":
        return this.reshapeByName(op, input);
      case "ProjectRenameOperator": return this.projectRename(op, input);
      case "SummarizeOperator": return this.summarize(op, input);
      case "CountOperator": {
        const none = input.columns.map(() => false);
        return {
          columns: columnsOf(op),
          run: () => {
            let n = 0;
            if (!forEachWeightedRow(input, none, (_r, w) => { n += w; })) forEachNeededRow(input, none, () => { n++; });
            return [[n]];
          },
        };
      }
      case "TakeOperator": return this.take(op, input);
      case "SortOperator": return this.sort(op, input);
      case "TopOperator": return this.top(op, input);
      case "DistinctOperator": return this.distinct(op, input);
      case "JoinOperator": return compileJoin(this, op, input);
      case "LookupOperator": return compileLookup(this, op, input);
      case "UnionOperator": return this.union(op, input);
      case "MvExpandOperator": return compileMvExpand(this, op, input);
      case "MvApplyOperator": return compileMvApply(this, op, input);
      case "ParseKvOperator": return compileParseKv(this, op, input);
      case "MakeSeriesOperator": return compileMakeSeries(this, op, input, this.input.ctx);
      case "ParseOperator": case "ParseWhereOperator": return compileParse(this, op, input, k === "ParseWhereOperator");
      case "SerializeOperator": return this.serialize(op, input);
      case "AsOperator": {
        const name = op.Name?.SimpleName ?? op.Name?.ToString?.(0);
        const plan = memoPlan(input);
        if (name) this.asTables.set(String(name).trim(), plan);
        const sym = op.Name?.ReferencedSymbol;
        if (sym) this.bindings.set(sym, { kind: "table", plan });
        return plan;
      }
      case "InvokeOperator": return this.expand(op.Function, input) as Plan;
      case "RenderOperator": return input;
      case "GetSchemaOperator": return this.getschema(op, input);
      case "EvaluateOperator": return this.evaluate(op, input);
      case "ScanOperator": return compileScan(this, op, input);
      case "SearchOperator": return compileSearch(this, op, input);
      case "TopNestedOperator": return compileTopNested(this, op, input);
      case "PartitionOperator": return compilePartition(this, op, input);
      case "SampleOperator": return compileSample(this, op, input, this.input.ctx);
      case "SampleDistinctOperator": return compileSampleDistinct(this, op, input, this.input.ctx);
      default: return this.unsupported(op, `operator ${operatorName(k)}`);
    }
  }

  rowEnv(columns: ResultColumnInfo[], cursor?: Cursor): Env {
    return { cols: indexColumns(columns), columns, cursor };
  }

  private where(op: KAny, input: Plan): Plan {
    const cursor: Cursor = { rows: [], i: 0 };
    // Over a stored table, the columns the condition reads are recorded: one dictionary-encoded column → a
    // per-distinct-value filter (runtime/dictwhere.ts).
    // The columns the condition reads are recorded: consumers that read few columns pass their demand through
    // (StreamPlan.eachNeeded); over a stored table, one dictionary-encoded column → a per-distinct-value filter.
    const tracked = trackingEnv(this.rowEnv(input.columns, cursor));
    const pred = this.scalar(op.Condition, tracked.env).f;
    const byValue = scanSourceOf(input) && !cursor.used ? dictionaryWhere(input, op.Condition, pred, tracked, symbolKind) : undefined;
    if (byValue) return byValue;
    if (!cursor.used) {
      const reads = demandOf(tracked, input.columns);
      const pass = (need: Need | undefined, sink: WeightedSink, weighted = false): boolean =>
        feedRows(input, need && unionNeed(need, reads), weighted, (r, w) => { if (pred(r) === true) sink(r, w!); });
      return streamPlan(input.columns, (sink) => forEachRow(input, (r) => { if (pred(r) === true) sink(r); }),
        (sink) => { pass(undefined, sink); }, (need, sink) => { pass(need, sink); },
        rowPure(op.Condition, symbolKind) ? (need, sink) => pass(need, sink, true) : undefined);
    }
    return cursorPlan(input.columns, input, cursor, (r, out) => { if (pred(r) === true) out.push(r); });
  }

  private extend(op: KAny, input: Plan): Plan {
    const outCols = columnsOf(op);
    const cursor: Cursor = { rows: [], i: 0 };
    // Later expressions may refer to columns defined earlier in the same extend: compile against the growing
    // schema and evaluate into the output row in order.
    // Tracked, so that a consumer reading few columns makes the extend copy only those and the ones it reads.
    const envColumns = [...input.columns];
    const tracked = trackingEnv({ cols: indexColumns(input.columns), columns: envColumns, packColumns: input.columns, cursor });
    const env = tracked.env;
    const outIdx = indexColumns(outCols);
    const steps: { target: number; f: Expr }[] = [];
    const exprs = elems(op.Expressions);
    // Unnamed expressions take the binder's generated names (Column1, d_k…) in order; a bare column reference
    // keeps its name (and so replaces itself).
    const explicit = new Set(exprs.flatMap((e) => this.tupleElement(e)?.names ?? [this.namedParts(e).name]).filter((n): n is string => !!n));
    const inputNames = new Set(input.columns.map((c) => c.name));
    const newNames = outCols.slice(input.columns.length).map((c) => c.name).filter((n) => !explicit.has(n));
    let unnamed = 0;
    // `extend x = y, y = x`: Kusto.Language binds the second x to the input column (it rejects names defined
    // earlier in the same extend), but whether the service reads the input or the new value is not documented.
    const redefined = new Set<string>();
    const readsRedefined = (n: KAny): boolean => {
      if (!n || redefined.size === 0) return false;
      if (kindOf(n) === "NameReference" && redefined.has(String(n.ReferencedSymbol?.Name ?? n.SimpleName))) return true;
      for (let i = 0; i < n.ChildCount; i++) if (readsRedefined(n.GetChild(i))) return true;
      return false;
    };
    for (const e of exprs) {
      if (readsRedefined(e)) this.unsupported(e, "extend reading a column that the same extend redefined before (input or new value is undocumented)");
      const tuple = this.tupleElement(e);
      if (tuple) {
        // One step per tuple column; the first computes the whole tuple for the row, the others read it.
        const { f, cols } = this.tupleCall(tuple.call, env);
        // series-stats-function.md and series-fit-2lines-function.md: an extend naming fewer columns than the tuple
        // has shows only the named ones; Kusto.Language adds the others under generated names. Refused.
        if (tuple.names.length > 0 && tuple.names.length < cols.length) {
          this.unsupported(e, `extend naming ${tuple.names.length} of the ${cols.length} columns of a tuple result (the docs keep only the named ones, Kusto.Language all)`);
        }
        let last: Value[] = [];
        cols.forEach((c, j) => {
          const target = j < tuple.names.length ? tuple.names[j] : newNames[unnamed++];
          const ti = target === undefined ? undefined : outIdx.get(target);
          // Generated names are the tuple's, possibly made unique with a numeric suffix (x_real1).
          const generatedOk = j < tuple.names.length || (target !== undefined && target.startsWith(c.name) && /^\d*$/.test(target.slice(c.name.length)));
          if (ti === undefined || !generatedOk || outCols[ti]!.type !== c.type) this.unsupported(e, "extend column naming of a tuple result");
          steps.push({ target: ti, f: j === 0 ? (r) => (last = f(r))[0]! : () => last[j]! });
          if (inputNames.has(target!)) redefined.add(target!);
          if (!env.cols.has(target!)) { env.cols.set(target!, ti); envColumns.push(outCols[ti]!); }
        });
        continue;
      }
      const { name, expr } = this.namedParts(e);
      const bareColumn = !name && kindOf(expr) === "NameReference" && inputNames.has(expr.ReferencedSymbol?.Name) ? String(expr.ReferencedSymbol.Name) : undefined;
      const target = name ?? bareColumn ?? newNames[unnamed++];
      if (target === undefined || !outIdx.has(target)) this.unsupported(e, "extend column naming");
      const f = this.scalar(expr, env).f;
      const ti = outIdx.get(target)!;
      steps.push({ target: ti, f });
      if (inputNames.has(target)) redefined.add(target);
      if (!env.cols.has(target)) { env.cols.set(target, ti); envColumns.push(outCols[ti]!); }
    }
    if (envColumns.length !== outCols.length) this.unsupported(op, "extend output schema");
    const width = outCols.length;
    const nsteps = steps.length;
    if (!cursor.used) {
      const inWidth = input.columns.length;
      const stepReads = demandOf(tracked, input.columns);
      const pure = exprs.every((e: KAny) => rowPure(e, symbolKind));
      // Column demand: input columns are copied only when a consumer or a step reads them (the weight, when the
      // input sends one row for several equal ones, passes through).
      // One reused output row; `need` undefined = a consumer reading every column.
      const lend = (need: Need | undefined, sink: WeightedSink, weighted = false): boolean => {
        const inNeed = need && unionNeed(need.slice(0, inWidth), stepReads);
        const copy = neededPositions(inNeed, inWidth);
        const ncopy = copy.length;
        const r: Row = new Array<Value>(width).fill(null);
        return feedRows(input, inNeed, weighted, (src, w) => {
          for (let j = 0; j < ncopy; j++) { const i = copy[j]!; r[i] = src[i]!; }
          for (let i = inWidth; i < width; i++) r[i] = null;
          for (let s = 0; s < nsteps; s++) r[steps[s]!.target] = steps[s]!.f(r);
          sink(r, w!);
        });
      };
      const pad: Value[] = new Array(Math.max(0, width - inWidth)).fill(null);
      // The input row is copied before the steps run, so it may be borrowed.
      return streamPlan(outCols, (sink) => forEachBorrowedRow(input, (src) => {
        const r = src.concat(pad); // packed array: extra columns start as null and are assigned below
        for (let s = 0; s < nsteps; s++) r[steps[s]!.target] = steps[s]!.f(r);
        sink(r);
      }), (sink) => { lend(undefined, sink); }, (need, sink) => { lend(need, sink); }, pure ? (need, sink) => lend(need, sink, true) : undefined);
    }
    return cursorPlan(outCols, input, cursor, (src, out) => {
      const r = src.slice();
      r.length = width;
      for (let s = 0; s < nsteps; s++) r[steps[s]!.target] = steps[s]!.f(r);
      out.push(r);
    });
  }

  /** `name = expr` → {name, expr}; a bare expression → {expr}. */
  namedParts(e: KAny): { name?: string; expr: KAny } {
    if (kindOf(e) === "SimpleNamedExpression") return { name: e.Name.SimpleName, expr: e.Expression };
    return { expr: e };
  }

  /**
   * An element whose value is a tuple — `f(…)`, `n = f(…)` or `(a, b) = f(…)` where the binder typed f(…) as a
   * tuple: its declared names (possibly fewer than the tuple's columns) and the call. Undefined otherwise.
   */
  private tupleElement(e: KAny): { names: string[]; call: KAny } | undefined {
    if (kindOf(e) === "CompoundNamedExpression") {
      return { names: elems(e.Names.Names).map((n: KAny) => String(n.SimpleName)), call: e.Expression };
    }
    const { name, expr } = this.namedParts(e);
    if (symbolKind(expr.ResultType ?? {}) !== "Tuple") return undefined;
    return { names: name ? [name] : [], call: expr };
  }

  /** A tuple-valued builtin call: per-row evaluator of all its columns, and the binder's columns. */
  private tupleCall(node: KAny, env: Env): { f: (row: Row) => Value[]; cols: ResultColumnInfo[] } {
    const cols = symbolKind(node.ResultType ?? {}) === "Tuple" ? resultColumnsOf(node.ResultType) ?? [] : [];
    const sym = node.ReferencedSymbol;
    const name: string = sym?.Name ?? String(node.Name?.SimpleName ?? "?");
    if (cols.length === 0 || kindOf(node) !== "FunctionCallExpression" || !symbolSets().fns.has(sym)) {
      return this.unsupported(node, "a tuple-valued expression other than a builtin function call");
    }
    const argExprs = this.callArgs(node).map((a: KAny) => this.scalar(a, env));
    const argTypes = argExprs.map((a) => a.t);
    const resolved = resolveScalar(name, argTypes);
    if (!resolved || !resolved.overload.tuple) return this.unsupported(node, `function ${name}(${argTypes.join(", ")})`);
    const types = cols.map((c) => c.type);
    const fs = argExprs.map((a) => a.f);
    const ctx = this.input.ctx;
    const f = (row: Row): Value[] => invokeTuple(resolved, fs.map((g) => g(row)), ctx, argTypes, types);
    if (!resolved.fn.volatile && argExprs.every((a) => a.konst)) {
      const v = f([]);
      return { f: () => v, cols };
    }
    return { f, cols };
  }

  /**
   * project / print: one evaluator per output column, in order. A tuple-valued element fills as many columns as
   * its tuple has (the first evaluator computes the tuple for the row, the next ones read it).
   */
  private columnExprs(op: KAny, exprs: KAny[], env: Env, outCols: ResultColumnInfo[]): Expr[] {
    const fs: Expr[] = [];
    for (const e of exprs) {
      const tuple = this.tupleElement(e);
      if (!tuple) { fs.push(this.scalar(this.namedParts(e).expr, env).f); continue; }
      const { f, cols } = this.tupleCall(tuple.call, env);
      let last: Value[] = [];
      cols.forEach((c, j) => {
        const out = outCols[fs.length];
        if (!out || out.type !== c.type) this.unsupported(e, `${operatorName(kindOf(op))} output schema of a tuple result`);
        fs.push(j === 0 ? (r) => (last = f(r))[0]! : () => last[j]!);
      });
    }
    if (fs.length !== outCols.length) this.unsupported(op, `${operatorName(kindOf(op))} output schema`);
    return fs;
  }

  private project(op: KAny, input: Plan): Plan {
    const outCols = columnsOf(op);
    const cursor: Cursor = { rows: [], i: 0 };
    const tracked = trackingEnv(this.rowEnv(input.columns, cursor));
    const fs = this.columnExprs(op, elems(op.Expressions), tracked.env, outCols);
    const n = fs.length;
    if (!cursor.used) {
      const reads = demandOf(tracked, input.columns);
      const lent = (need: Need | undefined, sink: WeightedSink, weighted = false): boolean => {
        const o: Row = new Array<Value>(n).fill(null);
        return feedRows(input, need, weighted, (r, w) => {
          for (let j = 0; j < n; j++) o[j] = fs[j]!(r);
          sink(o, w!);
        });
      };
      const pure = elems(op.Expressions).every((e: KAny) => rowPure(e, symbolKind));
      return streamPlan(outCols, (sink) => forEachBorrowedRow(input, (r) => {
        const o: Row = new Array(n);
        for (let j = 0; j < n; j++) o[j] = fs[j]!(r);
        sink(o);
      }), (sink) => { lent(undefined, sink); }, (_need, sink) => { lent(reads, sink); }, pure ? (_need, sink) => lent(reads, sink, true) : undefined);
    }
    // Window functions (row_number, prev, next…) read the cursor: evaluate rows in order over the whole input.
    return cursorPlan(outCols, input, cursor, (r, out) => {
      const o: Row = new Array(n);
      for (let j = 0; j < n; j++) o[j] = fs[j]!(r);
      out.push(o);
    });
  }

  /** project-away / project-keep / project-reorder: the binder decided the columns; copy them by name. */
  private reshapeByName(op: KAny, input: Plan): Plan {
    const outCols = columnsOf(op);
    const idx = indexColumns(input.columns);
    const map = outCols.map((c) => {
      const i = idx.get(c.name);
      if (i === undefined) this.unsupported(op, `column '${c.name}' in ${operatorName(kindOf(op))}`);
      return i;
    });
    return permuted(outCols, input, map);
  }

  private projectRename(op: KAny, input: Plan): Plan {
    const outCols = columnsOf(op);
    const idx = indexColumns(input.columns);
    const renamed = new Map<string, string>(); // new name → old name
    for (const e of elems(op.Expressions)) {
      if (kindOf(e) !== "SimpleNamedExpression") this.unsupported(e, "project-rename form");
      renamed.set(e.Name.SimpleName, e.Expression.ReferencedSymbol?.Name ?? e.Expression.SimpleName);
    }
    const map = outCols.map((c) => {
      const i = idx.get(renamed.get(c.name) ?? c.name);
      if (i === undefined) this.unsupported(op, `column '${c.name}' in project-rename`);
      return i;
    });
    return permuted(outCols, input, map);
  }

  private take(op: KAny, input: Plan): Plan {
    const n = this.scalar(op.Expression, emptyEnv());
    return {
      columns: input.columns,
      run: () => {
        const k = Number(n.f([]) ?? 0);
        const rows = input.run();
        return rows.length <= k ? rows : rows.slice(0, Math.max(0, k));
      },
    };
  }

  private sort(op: KAny, input: Plan): Plan {
    const cmp = this.sortKeysComparator(elems(op.Expressions), input.columns);
    return { columns: input.columns, run: () => cmp(input.run().slice()) };
  }

  /** Sorts by precomputed keys (each expression evaluated once per row), stable. */
  private sortKeysComparator(exprs: KAny[], columns: ResultColumnInfo[]): (rows: Row[]) => Row[] {
    const env = this.rowEnv(columns);
    const keys = exprs.map((oe) => {
      let expr = oe, desc = true, nullsFirst: boolean | undefined;
      if (kindOf(oe) === "OrderedExpression") {
        expr = oe.Expression;
        const ord = oe.Ordering;
        if (ord) {
          if (String(ord.AscOrDescKeyword?.Text ?? "").toLowerCase() === "asc") desc = false;
          const nc = ord.NullsClause;
          if (nc) nullsFirst = String(nc.FirstOrLastKeyword?.Text ?? "").toLowerCase() === "first";
        }
      }
      const e = this.scalar(expr, env);
      // Kusto.Language rejects sort by a dynamic value (KS116) but accepts top by one; its order is undocumented.
      if (e.t === "dynamic") this.unsupported(expr, "ordering by a dynamic value");
      // Strings have no null ("" stands in, null-values.md); whether sort places "" with the nulls is undocumented.
      // Both readings agree under the default placements ("" is the smallest string); an explicit opposite one
      // over an empty string is refused.
      const emptyAt = e.t === "string" && nullsFirst !== undefined && nullsFirst === desc ? this.pos(oe) : undefined;
      return { f: e.f, cmp: sortComparator(desc, nullsFirst ?? !desc), emptyAt };
    });
    return (rows) => {
      const n = rows.length;
      const kv = keys.map((k) => { const a: Value[] = new Array(n); for (let i = 0; i < n; i++) a[i] = k.f(rows[i]!); return a; });
      keys.forEach((k, j) => {
        if (k.emptyAt && kv[j]!.includes("")) {
          throw new KqlError("unsupported", `unsupported: sort of an empty string with an explicit nulls placement opposite to the default at ${k.emptyAt.line}:${k.emptyAt.column}`, k.emptyAt.line, k.emptyAt.column);
        }
      });
      const order = Array.from({ length: n }, (_, i) => i);
      order.sort((x, y) => {
        for (let j = 0; j < keys.length; j++) {
          const c = keys[j]!.cmp(kv[j]![x]!, kv[j]![y]!);
          if (c !== 0) return c;
        }
        return x - y;
      });
      return order.map((i) => rows[i]!);
    };
  }

  private top(op: KAny, input: Plan): Plan {
    const n = this.scalar(op.Expression, emptyEnv());
    const sorter = this.sortKeysComparator([op.ByExpression], input.columns);
    return {
      columns: input.columns,
      run: () => {
        const k = Math.max(0, Number(n.f([]) ?? 0));
        return sorter(input.run().slice()).slice(0, k);
      },
    };
  }

  private distinct(op: KAny, input: Plan): Plan {
    const outCols = columnsOf(op);
    const idx = indexColumns(input.columns);
    const exprs = elems(op.Expressions);
    const star = exprs.length === 1 && kindOf(exprs[0]) === "StarExpression";
    const env = this.rowEnv(input.columns);
    const fs: Expr[] = star
      ? input.columns.map((_, i) => (r: Row) => r[i]!)
      : exprs.map((e) => this.scalar(this.namedParts(e).expr, env).f);
    void idx;
    return {
      columns: outCols,
      run: () => {
        const seen = new Set<string | number | boolean | bigint | null>();
        const out: Row[] = [];
        for (const r of input.run()) {
          const vals = fs.map((f) => f(r));
          const key = vals.length === 1 ? keyOf(vals[0]!) : compositeKey(vals);
          if (seen.has(key)) continue;
          seen.add(key);
          out.push(vals);
        }
        return out;
      },
    };
  }

  private serialize(op: KAny, input: Plan): Plan {
    const exprs = elems(op.Expressions);
    if (exprs.length === 0) return input;
    return this.extend(op, input);
  }

  private getschema(op: KAny, input: Plan): Plan {
    const columns = columnsOf(op);
    const rows: Row[] = input.columns.map((c, i) => [c.name, i, `System.${dotnetType(c.type)}`, c.type]);
    if (columns.length !== 4) this.unsupported(op, "getschema output");
    return { columns, run: () => rows };
  }

  private evaluate(op: KAny, input: Plan): Plan {
    const call = op.FunctionCall;
    const name = String(call?.ReferencedSymbol?.Name ?? call?.Name?.SimpleName ?? "?");
    if (name === "bag_unpack") return this.bagUnpack(op, call, input);
    if (name === "pivot") return compilePivot(this, op, call, input);
    if (name === "rows_near") return compileRowsNear(this, op, call, input);
    return this.unsupported(op, `evaluate ${name}`);
  }

  /**
   * evaluate bag_unpack(col [, prefix]) [: (schema)]. With an output schema the binder knows the columns and
   * bag keys outside it are dropped; without one the columns are the other input columns followed by every
   * key met in the data, ordered by name as the reference's examples show, typed by runtime/bagunpack.ts.
   */
  private bagUnpack(op: KAny, call: KAny, input: Plan): Plan {
    const positional: KAny[] = [];
    let conflict = "error";
    let ignored = new Set<string>();
    for (const a of this.callArgs(call)) {
      if (kindOf(a) !== "SimpleNamedExpression") { positional.push(a); continue; }
      const opt = String(a.Name.SimpleName);
      const v = this.constant(a.Expression);
      if (opt === "columnsConflict") conflict = String(v);
      else if (opt === "ignoredProperties") ignored = new Set(Array.isArray(v) ? v.map(String) : []);
      else this.unsupported(a, `bag_unpack option ${opt}`);
    }
    if (!["error", "replace_source", "keep_source"].includes(conflict)) this.unsupported(op, `bag_unpack columnsConflict='${conflict}'`);
    const args = positional;
    if (args.length < 1 || args.length > 2 || kindOf(args[0]) !== "NameReference") this.unsupported(op, "bag_unpack arguments");
    const colName = args[0].ReferencedSymbol?.Name;
    const prefix = args[1] ? String(this.constant(args[1])) : "";
    const idx = input.columns.findIndex((c) => c.name === colName);
    if (idx < 0) this.unsupported(op, "bag_unpack column");
    const rest = input.columns.map((c, i) => ({ c, i })).filter(({ i }) => i !== idx);
    const bagOf = (r: Row): Record<string, Dyn> => {
      const b = r[idx];
      return b && typeof b === "object" && !Array.isArray(b) && !(b instanceof DynScalar) ? (b as Record<string, Dyn>) : {};
    };
    if (op.Schema) {
      const columns = columnsOf(op);
      const restIdx = new Map(rest.map(({ c, i }) => [c.name, i]));
      const getters = columns.map((c) => {
        const i = restIdx.get(c.name);
        if (i !== undefined) return (r: Row) => r[i]!;
        const key = c.name.startsWith(prefix) ? c.name.slice(prefix.length) : c.name;
        const cast = castDynamic(c.type);
        return (r: Row) => { const v = bagOf(r)[key]; return cast(v === undefined ? null : v); };
      });
      return { columns, run: () => input.run().map((r) => getters.map((g) => g(r))) };
    }
    const src = memoPlan(input);
    // The output schema depends on the data: computed on first use (columns are read after run()).
    const columns: ResultColumnInfo[] = [];
    let outRows: Row[] | undefined;
    const compute = (): Row[] => {
      if (outRows) return outRows;
      const rows = src.run();
      const seen = new Set<string>();
      for (const r of rows) for (const k of Object.keys(bagOf(r))) seen.add(k);
      const restNames = new Set(rest.map(({ c }) => c.name));
      let keys = [...seen].filter((k) => !ignored.has(k)).sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
      // A key that names an existing column: an error by default, or the bag's value / the column wins.
      const clashing = keys.filter((k) => restNames.has(prefix + k));
      let kept = rest;
      if (clashing.length) {
        if (conflict === "error") throw new RuntimeError(`bag_unpack: property '${clashing[0]}' conflicts with an existing column (use columnsConflict)`);
        if (conflict === "keep_source") keys = keys.filter((k) => !restNames.has(prefix + k));
        else { const drop = new Set(clashing.map((k) => prefix + k)); kept = rest.filter(({ c }) => !drop.has(c.name)); }
      }
      columns.push(...kept.map(({ c }) => c));
      const slots = keys.map((k) => slotColumn(prefix + k, rows.map((r) => bagOf(r)[k])));
      // The data types the columns; operators after this one were bound by Kusto.Language to dynamic columns.
      if (slots.some((sl) => sl.type !== "dynamic") && !this.bagUnpackIsResult(op)) {
        this.unsupported(op, "bag_unpack without an output schema followed by operators (its column types come from the data; give an output schema: evaluate bag_unpack(Column) : (...))");
      }
      keys.forEach((k, i) => columns.push({ name: prefix + k, type: slots[i]!.type }));
      outRows = rows.map((r) => {
        const bag = bagOf(r);
        return [...kept.map(({ i }) => r[i]!), ...keys.map((k, i) => slots[i]!.cell(bag[k]))];
      });
      return outRows;
    };
    return { get columns() { compute(); return columns; }, run: compute } as Plan;
  }

  private union(op: KAny, input: Plan | undefined): Plan {
    const outCols = columnsOf(op);
    const params = new Map<string, KAny>();
    for (const p of elems(op.Parameters)) params.set(String(p.Name.SimpleName).toLowerCase(), p.Expression);
    const withsource = params.get("withsource");
    const sourceName = withsource ? String(withsource.SimpleName ?? withsource.ToString(0)).trim() : undefined;
    const parts: { label: string; plan: Plan }[] = [];
    if (input) parts.push({ label: "", plan: input });
    const fuzzy = String(params.get("isfuzzy")?.ToString(0) ?? "").trim().toLowerCase() === "true";
    let dropped = 0;
    for (const e of elems(op.Expressions)) {
      if (fuzzy && isUnresolvedLeg(e)) { dropped++; continue; }
      const inner = kindOf(e) === "ParenthesizedExpression" ? e.Expression : e;
      if (kindOf(inner) === "NameReference" && symbolKind(inner.ReferencedSymbol) === "Table") {
        parts.push({ label: inner.ReferencedSymbol.Name, plan: this.tabular(inner) });
      } else if (kindOf(inner) === "NameReference" && inner.ReferencedSymbol && symbolKind(inner.ReferencedSymbol) === "Group") {
        // A wildcard (`union Device*`): the binder resolved it to the matching tables.
        for (const m of toArray(inner.ReferencedSymbol.Members)) {
          // A let view without parameters (union-operator.md's `View*` example) runs its body.
          const noParams = symbolKind(m) === "Function" && toArray(m.Signatures).every((s: KAny) => toArray(s.Parameters).length === 0);
          const view = noParams ? this.viewPlan(m) : undefined;
          if (view) { parts.push({ label: String(m.Name), plan: view }); continue; }
          if (symbolKind(m) !== "Table") this.unsupported(e, `union wildcard matching ${symbolKind(m).toLowerCase()} '${m.Name}'`);
          parts.push({ label: String(m.Name), plan: this.tableByName(String(m.Name), resultColumnsOf(m) ?? []) });
        }
      } else {
        const ref = kindOf(inner) === "NameReference" || kindOf(inner) === "FunctionCallExpression" ? inner.ReferencedSymbol : undefined;
        const label = ref && symbolKind(ref) === "Function" ? String(ref.Name) : asNameOf(inner);
        if (sourceName && label === undefined) this.unsupported(e, "union withsource over an expression that is not a table or function name");
        parts.push({ label: label ?? "", plan: this.tabular(inner) });
      }
    }
    // A piped input named by `as` is labelled with that name (as-operator.md); any other piped input is refused.
    const pipedLabel = input && sourceName ? asNameOf(op.Parent?.Expression) : undefined;
    if (input && sourceName && pipedLabel === undefined) this.unsupported(op, "union withsource with piped input");
    if (pipedLabel !== undefined) parts[0]!.label = pipedLabel;
    if (dropped > 0) return fuzzyUnion(this, op, parts, sourceName);
    const maps = parts.map(({ plan }) => {
      const idx = indexColumns(plan.columns);
      return outCols.map((c) => {
        if (c.name === sourceName) return -2;
        let i = idx.get(c.name);
        if (i !== undefined && plan.columns[i]!.type !== c.type && c.type !== "dynamic") i = undefined;
        if (i === undefined) {
          const m = /^(.*)_([a-z]+)$/.exec(c.name);
          if (m) { const j = idx.get(m[1]!); if (j !== undefined && plan.columns[j]!.type === c.type) i = j; }
        }
        return i ?? -1;
      });
    });
    const kind = params.get("kind") ? String(params.get("kind").ToString(0)).trim().toLowerCase() : "outer";
    // Same-named columns of different types become `x_long`, `x_int`…; where that renaming collides with an
    // input's own column (`x_long`), one output column would draw on differently named inputs: Kusto's layout
    // is computed instead of the binder's names (renamedUnion).
    const collides = outCols.some((c, ci) => {
      if (c.name === sourceName) return false;
      const sources = new Set<string>();
      maps.forEach((m, pi) => { if (m[ci]! >= 0) sources.add(parts[pi]!.plan.columns[m[ci]!]!.name); });
      return sources.size !== 1;
    });
    let columns = collides ? this.renamedUnion(op, parts.map((p) => p.plan.columns), outCols, sourceName, maps, kind) : outCols;
    if (kind === "inner") {
      // Kind=inner keeps only the columns every input has (in the first input's order), but Kusto.Language's
      // binder types the result like kind=outer. Every later operator takes its schema from the binder, so the
      // narrower result is only produced where nothing downstream depends on the binder's schema.
      const common = parts[0]!.plan.columns.filter((c) => parts.every(({ plan }) => plan.columns.some((d) => d.name === c.name)));
      for (const c of common) {
        if (parts.some(({ plan }) => plan.columns.find((d) => d.name === c.name)!.type !== c.type)) {
          this.unsupported(op, `union kind=inner over column '${c.name}' with different types`);
        }
      }
      const narrowed = [...(sourceName ? outCols.filter((c) => c.name === sourceName) : []), ...common];
      if (narrowed.length !== outCols.length) {
        if (!this.isQueryResultAfterRowFilters(op)) this.unsupported(op, "union kind=inner over inputs with different columns, followed by operators that use its columns");
        columns = narrowed;
        const at = new Map(outCols.map((c, i) => [c.name, i]));
        for (let pi = 0; pi < maps.length; pi++) maps[pi] = columns.map((c) => maps[pi]![at.get(c.name)!]!);
      }
    }
    return {
      columns,
      run: () => {
        const out: Row[] = [];
        parts.forEach(({ label, plan }, pi) => {
          const m = maps[pi]!;
          for (const r of plan.run()) {
            out.push(m.map((i, ci) => (i === -2 ? label : i === -1 ? nullOf(columns[ci]!.type) : columns[ci]!.type === "dynamic" && plan.columns[i]!.type !== "dynamic" ? toDyn(r[i]!, plan.columns[i]!.type) : r[i]!)));
          }
        });
        return out;
      },
    };
  }

  /**
   * Kusto's columns for a union whose `name_type` renaming collides with an input's own column name
   * (runtime/union-rename.ts); rewrites `maps` to that layout. Kusto's names differ from the binder's, to which
   * later operators are bound, so the union must be the query result (possibly followed by take).
   */
  private renamedUnion(op: KAny, inputs: ResultColumnInfo[][], outCols: ResultColumnInfo[], sourceName: string | undefined, maps: number[][], kind: string): ResultColumnInfo[] {
    const refuse = (why: string): never => this.unsupported(op, `union of same-named columns of different types ${why}`);
    const srcAt = outCols.findIndex((c) => c.name === sourceName);
    const binder = outCols.filter((c) => c.name !== sourceName);
    const layout = kind === "outer" ? renamedUnionLayout(inputs, binder) : undefined;
    if (!layout) return refuse("whose renamed columns collide with other columns beyond the documented case");
    if (layout.names.some((n, i) => n !== binder[i]!.name) && !this.isQueryResultAfterRowFilters(op, ["TakeOperator"])) {
      return refuse("with a renamed column colliding with another column, followed by operators that use its columns");
    }
    layout.maps.forEach((m, pi) => { maps[pi] = srcAt < 0 ? m : [...m.slice(0, srcAt), -2, ...m.slice(srcAt)]; });
    const cols = binder.map((c, i) => ({ ...c, name: layout.names[i]! }));
    return srcAt < 0 ? cols : [...cols.slice(0, srcAt), outCols[srcAt]!, ...cols.slice(srcAt)];
  }

  /** bag_unpack's output is the query result (after row filters), or only counted or described by getschema. */
  private bagUnpackIsResult(op: KAny): boolean {
    const pipe = op.Parent && kindOf(op.Parent) === "PipeExpression" && op.Parent.Operator === op ? op.Parent : op;
    const next = pipe.Parent && kindOf(pipe.Parent) === "PipeExpression" && pipe.Parent.Expression === pipe ? kindOf(pipe.Parent.Operator) : undefined;
    return next === "CountOperator" || next === "GetSchemaOperator" || this.isQueryResultAfterRowFilters(pipe);
  }

  /**
   * True when `node` is the query's result, possibly followed by operators that only filter or reorder rows and
   * take their schema from their input (where, sort, take, top): a result whose columns differ from the binder's
   * is then safe, because nothing downstream was bound against the binder's columns.
   */
  isQueryResultAfterRowFilters(node: KAny, operators = ["FilterOperator", "SortOperator", "TakeOperator", "TopOperator"]): boolean {
    const passThrough = new Set(operators);
    let n = node;
    while (n.Parent && kindOf(n.Parent) === "PipeExpression" && n.Parent.Expression === n) {
      if (!passThrough.has(kindOf(n.Parent.Operator))) return false;
      n = n.Parent;
    }
    const stmt = n.Parent;
    if (!stmt || kindOf(stmt) !== "ExpressionStatement") return false;
    let up = stmt.Parent;
    while (up && (kindOf(up) === "SeparatedElement" || kindOf(up) === "List")) up = up.Parent;
    return !!up && kindOf(up) === "QueryBlock";
  }

  // ---------- summarize ----------

  private summarize(op: KAny, input: Plan): Plan {
    const outCols = columnsOf(op);
    // Tracked: the input needs to deliver only the columns the keys and aggregates read.
    const tracked = trackingEnv(this.rowEnv(input.columns));
    const env = tracked.env;
    const byExprs = op.ByClause ? elems(op.ByClause.Expressions) : [];
    const keys = byExprs.map((e) => this.groupKey(this.namedParts(e).expr, env));
    const agg: AggSlots = { slots: [], rowEnv: env };
    // Outside aggregate calls an aggregate expression sees only slot results: a bare column reference there has
    // no value per group and is refused (no columns in scope) instead of reading a wrong index.
    const aggEnv: Env = { cols: new Map(), columns: [], agg };
    // Each aggregate expression compiles to a "finisher" over the slot results of its group.
    const finishers: { f: Expr; width: number; slot?: number }[] = [];
    for (const e of elems(op.Aggregates)) {
      // `(a, b) = arg_max(x, y)`: the binder already named the tuple's columns; only the expression matters.
      const expr = kindOf(e) === "CompoundNamedExpression" ? e.Expression : this.namedParts(e).expr;
      // Unnamed aggregates whose default column name the docs' outputs and Kusto.Language disagree on (the service
      // names covariance*(x, y) `covariance*_x_y` and percentilesw_array(x, …) `percentile_x`; Kusto.Language,
      // to which later operators are bound, `covariance*_x` and `percentiles_x`): refuse rather than guess.
      if (e === expr && kindOf(e) === "FunctionCallExpression" && DISPUTED_DEFAULT_NAME.test(String(e.ReferencedSymbol?.Name))) {
        this.unsupported(e, `unnamed ${e.ReferencedSymbol.Name}() column (name it: its default name differs between Kusto.Language and the service)`);
      }
      const before = agg.slots.length;
      const c = this.scalar(expr, aggEnv);
      const direct = agg.slots.length === before + 1 && agg.slots[before]!.width > 1 ? before : undefined;
      finishers.push({ f: c.f, width: direct !== undefined ? agg.slots[before]!.width : 1, slot: direct });
    }
    const width = keys.length + finishers.reduce((s, f) => s + f.width, 0);
    if (width !== outCols.length) this.unsupported(op, "summarize output schema");
    const slots = agg.slots;
    // Groups keep key values and accumulators keep argument values, never the row: rows may be borrowed.
    const finish = (keyVals: Value[], res: Value[]): Row => {
      const row: Row = keyVals.slice();
      for (const fin of finishers) {
        if (fin.slot !== undefined) row.push(...(res[fin.slot] as Value[]));
        else row.push(fin.f(res));
      }
      return row;
    };
    const reads = demandOf(tracked, input.columns);
    return { columns: outCols, run: () => summarizeRows(input, keys, slots, finish, reads) };
  }

  /** A summarize by-expression, noting the shapes runtime/group.ts has fast paths for. */
  private groupKey(expr: KAny, env: Env): KeySpec {
    const key: KeySpec = { f: this.scalar(expr, env).f };
    const k = kindOf(expr);
    const sym = expr.ReferencedSymbol;
    if (k === "NameReference" && sym && symbolKind(sym) === "Column") key.column = env.cols.get(sym.Name);
    if (k === "FunctionCallExpression" && (sym?.Name === "bin" || sym?.Name === "floor") && symbolSets().fns.has(sym)) {
      const args = this.callArgs(expr);
      const value = args.length === 2 ? this.scalar(args[0], env) : undefined;
      const size = args.length === 2 ? this.scalar(args[1], env) : undefined;
      if (value?.t === "datetime" && size?.t === "timespan" && typeof size.konst?.v === "bigint") {
        key.binDatetime = { value: value.f, size: size.konst.v };
      }
    }
    return key;
  }

  /** An aggregate call inside summarize: registers a slot and returns a reader of its per-group result. */
  private aggregateCall(node: KAny, name: string, env: Env): CExpr {
    const agg = env.agg!;
    const rowEnv = agg.rowEnv;
    const args = this.callArgs(node);
    const t = typeOfNode(node);
    const ctx = this.input.ctx;
    const slotIndex = agg.slots.length;
    if (name === "count" && args.length === 0) {
      agg.slots.push({ args: [], width: 1, count: true, groups: () => () => { let n = 0; return { add: () => { n++; }, result: () => n }; } });
      return { f: (res) => res[slotIndex]!, t: "long" };
    }
    const fn = getAggregate(name);
    if (!fn) return this.unsupported(node, `aggregate function ${name}()`);
    // Multi-column aggregates (arg_max(x, *), percentiles(x, 50, 95), take_any(a, b)) have a tuple result type
    // whose columns the binder named; `*` stands for the tuple's remaining columns.
    const tupleCols = symbolKind(node.ResultType ?? {}) === "Tuple" ? resultColumnsOf(node.ResultType) ?? [] : [];
    const argExprs: CExpr[] = [];
    for (const a of args) {
      if (kindOf(a) === "StarExpression") {
        for (const col of tupleCols.slice(argExprs.length)) {
          const i = rowEnv.cols.get(col.name);
          if (i === undefined) this.unsupported(a, `${name}(…, *) column '${col.name}'`);
          argExprs.push({ f: (r) => r[i!]!, t: rowEnv.columns[i!]!.type });
        }
      } else argExprs.push(this.scalar(this.namedParts(a).expr, rowEnv));
    }
    const argTypes = argExprs.map((x) => x.t);
    // Decimal sums/averages would accumulate in binary floating point (0.1 + 0.2 ≠ 0.3), unlike Kusto's decimal.
    if (argTypes[0] === "decimal" && /^(sum|avg)(if)?$/.test(name)) this.unsupported(node, `${name}() over decimal (128-bit decimal arithmetic is not modelled)`);
    const width = tupleCols.length > 0 ? tupleCols.length : 1;
    if (width > 1 && (!fn.outputs || fn.outputs(argTypes) !== width)) this.unsupported(node, `${name}() output columns`);
    const groups = fn.groups ? () => fn.groups!(argTypes, ctx) : () => () => fn.create(argTypes, ctx);
    const grouped = fn.grouped && width === 1 ? () => fn.grouped!(argTypes, ctx) : undefined;
    agg.slots.push({ args: argExprs.map((x) => x.f), width, groups, grouped });
    return { f: (res) => res[slotIndex]!, t };
  }

  /** Evaluates a constant argument (e.g. a parameter that must be a literal). */
  constant(node: KAny): Value {
    const e = this.scalar(node, emptyEnv());
    if (!e.konst) return this.unsupported(node, "a non-constant value where a constant is required");
    return e.konst.v;
  }

  // ---------- scalar expressions ----------

  scalar(node: KAny, env: Env): CExpr {
    const k = kindOf(node);
    const t = typeOfNode(node);
    switch (k) {
      case "ParenthesizedExpression": return this.scalar(node.Expression, env);
      case "BooleanLiteralExpression": {
        const v = literalText(node, ["bool", "boolean"], (s) => (s === "true" ? true : s === "false" ? false : undefined));
        return konst(v === undefined ? this.badLiteral(node) : v, "bool");
      }
      case "IntLiteralExpression": case "LongLiteralExpression": case "RealLiteralExpression": case "DecimalLiteralExpression":
        return konst(this.numberLiteral(node), t);
      case "StringLiteralExpression": case "CompoundStringLiteralExpression": return konst(String(node.LiteralValue ?? ""), "string");
      case "DateTimeLiteralExpression": return konst(this.datetimeLiteral(node), "datetime");
      case "TimespanLiteralExpression": return konst(this.timespanLiteral(node), "timespan");
      case "GuidLiteralExpression": {
        const v = literalText(node, ["guid", "uuid", "uniqueid"], (s) => s.toLowerCase());
        return konst(v === undefined ? this.badLiteral(node) : v, "guid");
      }
      case "NullLiteralExpression": return konst(null, "dynamic");
      case "DynamicExpression": return konst(this.jsonValue(node.Expression), "dynamic");
      case "TypeOfLiteralExpression": {
        // typeof(T) as a function argument reaches builtins as the type's name, a string constant (extract,
        // extract_json and percentile_tdigest declare a string parameter for it). One primitive type only.
        const name = normalizeTypeName(String(node.Types?.ToString?.() ?? ""));
        const call = node.Parent?.Parent?.Parent?.Parent;
        const inCall = !!call && kindOf(call) === "FunctionCallExpression";
        return name && inCall ? konst(name, "string") : this.unsupported(node, `type literal ${String(node.ToString?.() ?? "")}`);
      }
      case "NameReference": return this.nameReference(node, env);
      case "UnaryMinusExpression": {
        const e = this.scalar(node.Expression, env);
        // -(int.MinValue) has no int value (Kusto's result for it is not documented): refused. An integer is
        // negated as 0 − v: the double −0 (from −0) would make 1.0 / x −Infinity, and a long has no −0 (an
        // integral number in a dynamic value is a long: whole reals there are DynScalar).
        const integral = t === "int" || t === "long" || t === "dynamic";
        const neg = (v: Value): Value => (v === null ? null : typeof v === "bigint" ? -v : typeof v === "number"
          ? (!integral ? -v : t === "int" && v === INT32_MIN ? this.unsupported(node, "int negation beyond int's range") : 0 - v)
          : isWholeReal(v) ? new DynScalar("real", -v.value) : null);
        return e.konst ? konst(neg(e.konst.v), t) : { f: (r) => neg(e.f(r)), t };
      }
      case "UnaryPlusExpression": return this.scalar(node.Expression, env);
      case "AddExpression": case "SubtractExpression": case "MultiplyExpression": case "DivideExpression": case "ModuloExpression":
        return this.arith(node, env);
      case "EqualExpression": case "NotEqualExpression": case "LessThanExpression": case "LessThanOrEqualExpression":
      case "GreaterThanExpression": case "GreaterThanOrEqualExpression":
        return this.comparison(node, env);
      case "AndExpression": case "OrExpression": return this.logical(node, env);
      case "InExpression": case "NotInExpression": case "InCsExpression": case "NotInCsExpression":
      case "HasAnyExpression": case "HasAllExpression":
        return this.setOperator(node, env);
      case "BetweenExpression": case "NotBetweenExpression": return this.between(node, env);
      case "FunctionCallExpression": return this.call(node, env);
      case "PathExpression": return this.path(node, env);
      case "ElementExpression": return this.element(node, env);
      case "ToScalarExpression": return this.toscalar(node.Expression, node, t);
      case "PipeExpression": return this.unsupported(node, "a tabular expression where a scalar is expected");
      case "StarExpression": return this.unsupported(node, "'*' here");
      default: {
        const op = STRING_OP_KINDS[k];
        if (op) return this.stringOperator(node, op, env);
        return this.unsupported(node, `expression ${k.replace(/Expression$/, "")}`);
      }
    }
  }

  private badLiteral(node: KAny): never {
    return this.unsupported(node, `literal ${node.ToString(0).trim()}`);
  }

  private numberLiteral(node: KAny): number | null {
    const text = String(node.ToString(0)).trim();
    const inner = unwrapLiteral(text, ["int", "long", "real", "double", "decimal"]).toLowerCase();
    if (inner === "null") return null;
    if (inner === "nan") return NaN;
    if (inner === "+inf" || inner === "inf") return Infinity;
    if (inner === "-inf") return -Infinity;
    const n = /^[+-]?0x[0-9a-f]+$/.test(inner) ? (inner.startsWith("-") ? -Number(inner.slice(1)) : Number(inner.replace(/^\+/, ""))) : Number(inner.replace(/l$/, ""));
    if (Number.isNaN(n)) return this.badLiteral(node);
    const kind = kindOf(node);
    if ((kind === "LongLiteralExpression" || kind === "IntLiteralExpression") && !Number.isSafeInteger(n)) {
      return this.unsupported(node, `integer literal beyond ±2^53 (${inner})`);
    }
    // int(2147483648): no int has that value, and the docs do not say what Kusto makes of it.
    if (kind === "IntLiteralExpression" && !fitsInt32(n)) return this.unsupported(node, `int literal beyond int's 32-bit range (${inner})`);
    return n;
  }

  private datetimeLiteral(node: KAny): bigint | null {
    const text = String(node.ToString(0)).trim();
    const inner = unwrapLiteral(text, ["datetime", "date"]).replace(/^["']|["']$/g, "");
    if (inner.toLowerCase() === "null") return null;
    if (inner === "") return this.input.ctx.now; // datetime() is the current time (scalar-data-types/datetime.md)
    let p: bigint | null;
    try {
      p = datetimeFromParts(inner) ?? parseDatetimeText(inner, "datetime literal");
    } catch (e) {
      return this.locateUnsupported(e, node); // a refused text form (more than 7 fraction digits…), at the literal
    }
    if (p !== null) return p;
    const lv = node.LiteralValue;
    if (lv && typeof lv.getTicks === "function") return BigInt(lv.getTicks().toString()) - TICKS_OFFSET_0001;
    if (lv && lv.ticks !== undefined) return BigInt(lv.ticks.toString()) - TICKS_OFFSET_0001;
    return this.badLiteral(node);
  }

  private timespanLiteral(node: KAny): bigint | null {
    const text = String(node.ToString(0)).trim();
    const inner = unwrapLiteral(text, ["timespan", "time"]).replace(/^["']|["']$/g, "");
    if (inner.toLowerCase() === "null") return null;
    const p = parseTimespan(inner);
    if (p !== null) return p;
    // time(2) is 2 days (scalar-data-types/timespan.md). Only whole numbers: .NET would read time(1.5) as 1 day 5 h.
    if (/^-?\d{1,7}$/.test(inner)) return BigInt(inner) * TICKS_PER_DAY;
    return this.badLiteral(node);
  }

  /** A dynamic literal's JSON value from its syntax (dynamic({...}), dynamic([...]), dynamic(scalar)). */
  private jsonValue(node: KAny): Dyn {
    const k = kindOf(node);
    if (k === "JsonObjectExpression") {
      const o: Record<string, Dyn> = {};
      for (const p of elems(node.Pairs)) {
        const key = String(p.Name.ValueText);
        // As in parse_json() (json-lenient.ts): which value of a repeated key Kusto keeps is not documented.
        if (Object.hasOwn(o, key)) this.unsupported(p, `dynamic literal repeating the key '${key}' (which value Kusto keeps is not documented)`);
        // defineProperty: a key "__proto__" is an own member (as JSON.parse makes it), not the prototype.
        Object.defineProperty(o, key, { value: this.jsonValue(p.Value), enumerable: true, writable: true, configurable: true });
      }
      return o;
    }
    if (k === "JsonArrayExpression") return elems(node.Values).map((v: KAny) => this.jsonValue(v));
    const e = this.scalar(node, emptyEnv());
    if (!e.konst) return this.unsupported(node, "non-constant value in a dynamic literal");
    return toDyn(e.konst.v, e.t);
  }

  private nameReference(node: KAny, env: Env): CExpr {
    const sym = node.ReferencedSymbol;
    const t = typeOfNode(node);
    if (!sym) return this.unsupported(node, `name '${node.SimpleName}'`);
    const sk = symbolKind(sym);
    if (sk === "Column") {
      const i = env.cols.get(sym.Name);
      if (i === undefined) return this.unsupported(node, `column reference '${sym.Name}' in this context`);
      return { f: (r) => r[i]!, t };
    }
    if (sk === "Variable" || sk === "Parameter") {
      const b = this.lookupBinding(node, sym);
      if (b?.kind === "scalar") {
        if (b.env && b.env !== env) {
          // A per-row argument used inside a sub-query (e.g. toscalar(T | where x == param)) has no row here.
          const p = this.pos(node);
          throw new KqlError("semantic", `'${sym.Name}' depends on the calling row and cannot be used in a sub-query at ${p.line}:${p.column}`, p.line, p.column);
        }
        if (b.env) this.rowArgumentRefs++;
        return b.e;
      }
      if (b?.kind === "table") return this.unsupported(node, `tabular value '${sym.Name}' used as a scalar`);
      return this.unsupported(node, `reference '${sym.Name}'`);
    }
    if (sk === "Function") return this.call(node, env);
    return this.unsupported(node, `reference to ${sk.toLowerCase()} '${sym.Name}'`);
  }

  private arith(node: KAny, env: Env): CExpr {
    const l = this.scalar(node.Left, env), r = this.scalar(node.Right, env);
    const t = typeOfNode(node);
    const op = ARITH[kindOf(node)]!;
    const f = arithmetic(op, l.t, r.t, t, (what) => this.unsupported(node, what));
    if (!f) return this.unsupported(node, `operator ${op} on ${l.t} and ${r.t}`);
    return this.fold2(l, r, t, f);
  }

  private fold2(l: CExpr, r: CExpr, t: KqlType, f: (a: Value, b: Value) => Value): CExpr {
    if (l.konst && r.konst) return konst(f(l.konst.v, r.konst.v), t);
    const lf = l.f, rf = r.f;
    if (r.konst) { const rv = r.konst.v; return { f: (row) => f(lf(row), rv), t }; }
    return { f: (row) => f(lf(row), rf(row)), t };
  }

  private comparison(node: KAny, env: Env): CExpr {
    const k = kindOf(node);
    const l = this.scalar(node.Left, env), r = this.scalar(node.Right, env);
    if (l.t === "string" && r.t === "string" && (k === "EqualExpression" || k === "NotEqualExpression")) {
      const eq = k === "EqualExpression";
      if (r.konst) { const rv = r.konst.v, lf = l.f; return { f: eq ? (row) => lf(row) === rv : (row) => lf(row) !== rv, t: "bool" }; }
      return this.fold2(l, r, "bool", eq ? (a, b) => a === b : (a, b) => a !== b);
    }
    if (!comparable(l.t, r.t)) {
      // `EventID == "4625"`: a constant of another type converts to the column's type (Kusto's implicit
      // conversion of literals); anything else is refused rather than guessed.
      const fixed = r.konst ? this.convertConstant(r, l.t) : l.konst ? this.convertConstant(l, r.t) : undefined;
      if (!fixed) return this.unsupported(node, `comparison of ${l.t} with ${r.t}`);
      return this.comparisonOf(k, r.konst ? l : fixed, r.konst ? fixed : r);
    }
    return this.comparisonOf(k, l, r);
  }

  /** A constant converted to `to` with the to*() rules; undefined when it does not convert. */
  private convertConstant(e: CExpr, to: KqlType): CExpr | undefined {
    const v = e.konst!.v;
    if (v === null) return konst(nullOf(to), to);
    let c: Value;
    try {
      c = convertTo(v, e.t, to);
    } catch {
      return undefined;
    }
    return c === null ? undefined : konst(c, to);
  }

  private comparisonOf(k: string, l: CExpr, r: CExpr): CExpr {
    if (l.t === "string" && r.t === "string" && (k === "EqualExpression" || k === "NotEqualExpression")) {
      const eq = k === "EqualExpression";
      if (r.konst) { const rv = r.konst.v, lf = l.f; return { f: eq ? (row) => lf(row) === rv : (row) => lf(row) !== rv, t: "bool" }; }
      return this.fold2(l, r, "bool", eq ? (a, b) => a === b : (a, b) => a !== b);
    }
    const conv = (e: CExpr, other: KqlType): CExpr => (e.t === "dynamic" && other !== "dynamic" ? { f: dynToTyped(e.f, other), t: other } : e);
    const L = conv(l, r.t), R = conv(r, l.t);
    // Hot path: a typed column against a constant of the same primitive kind (Timestamp > ago(7d), n >= 5).
    if (R.konst && !L.konst && REL[k] && L.t === R.t && L.t !== "dynamic" && R.konst.v !== null && !(typeof R.konst.v === "number" && Number.isNaN(R.konst.v))) {
      const rv = R.konst.v as number | bigint | string, lf = L.f;
      switch (REL[k]) {
        case "<": return { f: (row) => { const a = lf(row); return a === null ? null : (a as number) < (rv as number); }, t: "bool" };
        case "<=": return { f: (row) => { const a = lf(row); return a === null ? null : (a as number) <= (rv as number); }, t: "bool" };
        case ">": return { f: (row) => { const a = lf(row); return a === null ? null : (a as number) > (rv as number); }, t: "bool" };
        default: return { f: (row) => { const a = lf(row); return a === null ? null : (a as number) >= (rv as number); }, t: "bool" };
      }
    }
    const f = k === "EqualExpression" ? eqOp : k === "NotEqualExpression" ? neOp : relOp(REL[k]!);
    return this.fold2(L, R, "bool", f);
  }

  private logical(node: KAny, env: Env): CExpr {
    const l = this.scalar(node.Left, env).f, r = this.scalar(node.Right, env).f;
    if (kindOf(node) === "AndExpression") {
      return { f: (row) => { const a = l(row); if (a === false) return false; const b = r(row); if (b === false) return false; return a === true && b === true ? true : null; }, t: "bool" };
    }
    return { f: (row) => { const a = l(row); if (a === true) return true; const b = r(row); if (b === true) return true; return a === false && b === false ? false : null; }, t: "bool" };
  }

  private stringOperator(node: KAny, op: string, env: Env): CExpr {
    if (kindOf(node.Left) === "StarExpression") return compileStarOperator(this, node, op, env);
    const l = this.scalar(node.Left, env), r = this.scalar(node.Right, env);
    const lf = asStringExpr(l), rf = asStringExpr(r);
    if (r.konst) {
      let pred0;
      try { pred0 = compileStringPredicate(op, rf([]) as string); } catch (e) { return this.locateUnsupported(e, node); } // a refused regex, at the operator
      if (!pred0) return this.unsupported(node, `operator ${op}`);
      const pred = memoStringPredicate(pred0);
      return { f: (row) => pred(lf(row) as string), t: "bool" };
    }
    const p = STRING_OPERATORS[op];
    if (!p) return this.unsupported(node, `operator ${op}`);
    return { f: (row) => p(lf(row) as string, rf(row) as string), t: "bool" };
  }

  /** in / !in / in~ / !in~ / has_any / has_all: the right side is a list of scalars, arrays or a sub-query. */
  private setOperator(node: KAny, env: Env): CExpr {
    const k = kindOf(node);
    const op = SET_OP_KINDS[k]!;
    const l = this.scalar(node.Left, env);
    const items = elems(node.Right.Expressions);
    const parts: ({ kind: "table"; plan: Plan } | { kind: "scalar"; e: CExpr })[] = items.map((it) =>
      this.isTabular(it) ? { kind: "table", plan: this.tabular(it) } : { kind: "scalar", e: this.scalar(it, env) });
    const rowDependent = parts.some((p) => p.kind === "scalar" && !p.e.konst);
    const collect = (row: Row): { vals: Value[]; types: KqlType[] } => {
      const vals: Value[] = [], types: KqlType[] = [];
      for (const p of parts) {
        if (p.kind === "table") {
          const t = p.plan.columns[0]?.type ?? "dynamic";
          for (const r of p.plan.run()) { vals.push(r[0]!); types.push(t); }
        } else {
          const v = p.e.f(row);
          if (p.e.t === "dynamic" && Array.isArray(v)) for (const x of v) { vals.push(x); types.push("dynamic"); }
          else { vals.push(v); types.push(p.e.t); }
        }
      }
      return { vals, types };
    };
    const stringy = l.t === "string" || op === "has_any" || op === "has_all" || op === "in~" || op === "!in~";
    const build = (row: Row): ((v: Value) => boolean | null) => {
      const { vals, types } = collect(row);
      if (stringy) {
        const strs: string[] = [];
        vals.forEach((v, i) => { if (v !== null) strs.push(kqlToString(v, types[i]!)); });
        const pred0 = compileSetPredicate(op, strs);
        if (!pred0) throw new RuntimeError(`operator ${op}`);
        const pred = memoStringPredicate(pred0);
        const lt = l.t;
        // =~ / == compare only dynamic strings with text; whether in~ instead matches a dynamic number, bool or bag
        // by its text (or null as "") is not documented, so those inputs are refused rather than answered.
        if (lt === "dynamic" && (op === "in~" || op === "!in~")) {
          const emptyInSet = strs.includes("");
          return (v) => {
            if (typeof v !== "string" && (v !== null || emptyInSet)) {
              throw new KqlError("unsupported", `unsupported: ${op} of a dynamic ${v === null ? "null" : "non-string"} value (matching by its text is not documented)`);
            }
            return pred(v === null ? "" : v);
          };
        }
        return (v) => pred(lt === "string" ? (v as string) : kqlToString(v, lt));
      }
      // Typed dynamic members (DynScalar) match the datetime/timespan/guid values they hold.
      const set = new Set(vals.filter((v) => v !== null).map((v) => keyOf(v instanceof DynScalar ? v.value as Value : v)));
      const neg = op === "!in";
      return (v) => {
        if (v === null) return neg;
        const n = dynNum(v); // a whole-valued real (DynScalar) matches as its number, like other dynamic numbers
        let hit = set.has(keyOf(n ?? v));
        if (!hit && n !== null) hit = vals.some((x) => valueEquals(x, n));
        if (!hit && v instanceof DynScalar && n === null && vals.some((x) => typeof x === "string")) refuseTypedVsString(v);
        return neg ? !hit : hit;
      };
    };
    const lf = l.f;
    if (!rowDependent) {
      let test: ((v: Value) => boolean | null) | undefined;
      return { f: (row) => (test ??= build(row))(lf(row)), t: "bool" };
    }
    return { f: (row) => build(row)(lf(row)), t: "bool" };
  }

  private between(node: KAny, env: Env): CExpr {
    const l = this.scalar(node.Left, env);
    const range = node.Right;
    if (kindOf(range) !== "ExpressionCouple") this.unsupported(node, "between form");
    const lo = this.scalar(range.First, env);
    const hi = this.scalar(range.Second, env);
    const neg = kindOf(node) === "NotBetweenExpression";
    const ge = relOp(">="), le = relOp("<=");
    // datetime between (x .. timespan) means x .. x + timespan.
    let hiF = hi.f;
    if ((l.t === "datetime" || l.t === "dynamic") && hi.t === "timespan" && lo.t === "datetime") {
      const lof = lo.f, hf = hi.f;
      hiF = (r) => { const a = lof(r), b = hf(r); return a === null || b === null ? null : (a as bigint) + (b as bigint); };
    }
    const lf = l.f, lof = lo.f;
    return {
      f: (r) => {
        const v = lf(r);
        const a = ge(v, lof(r)), b = le(v, hiF(r));
        if (a === null || b === null) return null;
        return neg ? !(a && b) : a && b;
      },
      t: "bool",
    };
  }

  private path(node: KAny, env: Env): CExpr {
    const base = node.Expression;
    const sel = node.Selector;
    const key = String(sel.SimpleName ?? sel.ToString(0)).trim().replace(/^\['|'\]$|^\["|"\]$/g, "");
    if (env.qualified && kindOf(base) === "NameReference") {
      const q = env.qualified(node, String(base.ReferencedSymbol?.Name ?? base.SimpleName), key);
      if (q) return q;
    }
    // `d.[expr]` is element access with a computed key (parse-urlquery-function.md's `.[param]`), not member "[expr]".
    if (kindOf(sel) === "BracketedExpression" && !this.isTabular(base)) return this.element(node, env);
    if (this.isTabular(base) || symbolKind(base.ResultType ?? {}) === "Tuple") {
      return this.unsupported(node, `path '${node.ToString(0).trim()}'`);
    }
    const b = this.scalar(base, env);
    if (b.t !== "dynamic") return this.unsupported(node, `member access on ${b.t}`);
    const bf = b.f;
    return { f: (r) => dynMember(bf(r), key), t: "dynamic" };
  }

  private element(node: KAny, env: Env): CExpr {
    if (symbolKind(node.Expression.ResultType ?? {}) === "Tuple") return this.tupleItem(node, env);
    const b = this.scalar(node.Expression, env);
    const selNode = node.Selector.Expression;
    const s = this.scalar(selNode, env);
    if (b.t !== "dynamic") return this.unsupported(node, `indexing of ${b.t}`);
    const bf = b.f, sf = s.f;
    if (s.konst) {
      const sv = s.konst.v;
      if (typeof sv === "string") return { f: (r) => dynMember(bf(r), sv), t: "dynamic" };
      if (typeof sv === "number") return { f: (r) => dynIndex(bf(r), sv), t: "dynamic" };
    }
    return {
      f: (r) => {
        const k = sf(r);
        return typeof k === "string" ? dynMember(bf(r), k) : typeof k === "number" ? dynIndex(bf(r), k) : null;
      },
      t: "dynamic",
    };
  }

  /** `f(…)[k]` on a tuple-valued call: its k-th column (array-sort-asc-function.md, example 3). */
  private tupleItem(node: KAny, env: Env): CExpr {
    const k = this.constant(node.Selector.Expression);
    const { f, cols } = this.tupleCall(node.Expression, env);
    const t = typeOfNode(node);
    if (typeof k !== "number" || !Number.isInteger(k) || k < 0 || k >= cols.length || cols[k]!.type !== t) {
      return this.unsupported(node, `tuple element [${String(k)}]`);
    }
    return { f: (r) => f(r)[k]!, t };
  }

  private toscalar(expr: KAny, node: KAny, t: KqlType): CExpr {
    // Every call of a parameterless function shares its toscalar() value: named-expressions.md's y, y print the
    // same rand() (each call compiles the body again, which evaluated it once per call).
    // Only where no enclosing expansion has parameters (their values could differ between calls).
    const fn = this.expanding.every(Boolean) ? this.expanding[this.expanding.length - 1] : undefined;
    const offset = Number(node.TextStart);
    if (fn && Number.isInteger(offset)) {
      let memo = this.toscalarMemo.get(fn);
      if (!memo) this.toscalarMemo.set(fn, memo = new Map());
      let e = memo.get(offset);
      if (!e) memo.set(offset, e = this.toscalarOnce(expr, t));
      return e;
    }
    return this.toscalarOnce(expr, t);
  }

  private toscalarOnce(expr: KAny, t: KqlType): CExpr {
    if (this.isTabular(expr)) {
      const plan = memoPlan(this.tabular(expr));
      let cached: { v: Value } | undefined;
      const get = () => {
        if (!cached) {
          const rows = plan.run();
          cached = { v: rows.length && rows[0]!.length ? rows[0]![0]! : nullOf(t) };
        }
        return cached.v;
      };
      return { f: () => get(), t };
    }
    const e = this.scalar(expr, emptyEnv());
    if (e.konst) return e;
    let once: { v: Value } | undefined;
    return { f: () => (once ??= { v: e.f([]) }).v, t: e.t };
  }

  /**
   * `… | join kind=innerunique … | where <left columns only>`: Kusto pushes the filter below the join, before the
   * left side is de-duplicated, so the surviving left row of a key is one that passes the filter
   * (join-innerunique.md). Compiles that shape as left | where | join | where; undefined for any other shape.
   */
  private filterBeforeInnerunique(pipe: KAny, inputPlan: Plan | undefined): Plan | undefined {
    const filter = pipe.Operator, joinPipe = pipe.Expression;
    if (kindOf(filter) !== "FilterOperator" || kindOf(joinPipe) !== "PipeExpression") return undefined;
    const join = joinPipe.Operator;
    if (kindOf(join) !== "JoinOperator") return undefined;
    const kindParam = elems(join.Parameters).find((p: KAny) => String(p.Name.SimpleName).toLowerCase() === "kind");
    const kind = kindParam ? String(kindParam.Expression.ToString(0)).trim().toLowerCase() : "innerunique";
    if (kind !== "innerunique") return undefined;
    const leftCols = columnsOf(joinPipe.Expression);
    const leftNames = new Set(leftCols.map((c) => c.name));
    let ok = true;
    const visit = (n: KAny): void => {
      if (!n || !ok) return;
      const k = kindOf(n);
      if (k === "NameReference" && n.ReferencedSymbol && symbolKind(n.ReferencedSymbol) === "Column" && !leftNames.has(String(n.ReferencedSymbol.Name))) ok = false;
      if (k === "FunctionCallExpression" && WINDOW_FUNCTIONS.has(String(n.ReferencedSymbol?.Name ?? ""))) ok = false;
      for (let i = 0; i < n.ChildCount; i++) visit(n.GetChild(i));
    };
    visit(filter.Condition);
    if (!ok) return undefined;
    const left = this.tabular(joinPipe.Expression, inputPlan);
    if (left.columns.length !== leftCols.length || left.columns.some((c, i) => c.name !== leftCols[i]!.name)) return undefined;
    const joined = this.operator(join, this.operator(filter, left));
    return this.operator(filter, joined);
  }

  /**
   * Window functions need a serialized row set (window-functions.md). Kusto.Language does not check this; Kusto
   * rejects it. Walking back from the operator that calls the function through the operators that preserve
   * serialization, an operator known to produce an unserialized set (summarize, join, …) is a semantic error.
   * Inputs whose serialization is not documented (tables, datatable, print) are left alone.
   */
  private requireSerialized(node: KAny, fn: string): void {
    let op = node.Parent;
    while (op && !kindOf(op).endsWith("Operator")) op = op.Parent;
    if (!op) return;
    for (;;) {
      const pipe = op.Parent;
      if (!pipe || kindOf(pipe) !== "PipeExpression" || pipe.Operator !== op) return;
      const input = pipe.Expression;
      const prev = kindOf(input) === "PipeExpression" ? input.Operator : input;
      const k = kindOf(prev);
      if (UNSERIALIZING_OPERATORS.has(k)) {
        const p = this.pos(node);
        throw new KqlError("semantic", `${p.line}:${p.column}: Function '${fn}' cannot be invoked in current context. Details: the row set must be serialized (input comes from ${operatorName(k)})`, p.line, p.column);
      }
      if (!SERIALIZATION_PRESERVING.has(k)) return;
      op = prev;
    }
  }

  private call(node: KAny, env: Env): CExpr {
    const sym = node.ReferencedSymbol;
    const name: string = sym?.Name ?? String(node.Name?.SimpleName ?? "?");
    const t = typeOfNode(node);
    const { fns, aggs } = symbolSets();
    if (aggs.has(sym)) {
      if (!env.agg) return this.unsupported(node, `aggregate ${name}() outside summarize`);
      return this.aggregateCall(node, name, env);
    }
    const args = this.callArgs(node);
    if (WINDOW_FUNCTIONS.has(name)) this.requireSerialized(node, name);
    switch (name) {
      case "toscalar": return this.toscalar(args[0], node, t);
      case "materialize": return this.unsupported(node, "materialize() as a scalar");
      case "row_number": return this.rowNumber(node, args, env);
      case "row_cumsum": return this.rowCumsum(node, args, env);
      case "row_window_session": return this.rowWindowSession(node, args, env);
      case "prev": case "next": return this.prevNext(node, name, args, env);
      case "row_rank_dense": case "row_rank_min": return this.rowRank(node, name, args, env);
      case "column_names_of": {
        // column-names-of-function.md: the argument's schema, which the binder has already computed.
        const cols = resultColumnsOf(args[0]?.ResultType);
        if (!cols) return this.unsupported(node, "column_names_of() of this expression");
        return konst(cols.map((c) => c.name), "dynamic");
      }
      case "bag_pack_columns": return this.bagPackColumns(node, args, env);
      case "bin_auto": return this.binAuto(node, args, env, t);
      case "assert":
        // assert-function.md: the condition must be constant at analysis time (then the call folds below).
        if (!this.scalar(args[0], env).konst) return this.unsupported(node, "assert() with a condition that is not a constant");
        break;
      case "pack_all": {
        // The operator's input columns only: not columns the same extend defines (pack-all-function.md).
        const cols = (env.packColumns ?? env.columns).slice();
        const ignore = args.length ? this.scalar(args[0], env).f : undefined;
        return {
          f: (r) => {
            // pack_all(true) leaves out null and empty-string values.
            const skip = ignore?.(r) === true;
            const o: Record<string, Dyn> = {};
            cols.forEach((c, i) => {
              const v = r[i]!;
              if (skip && (v === null || v === "")) return;
              o[c.name] = toDyn(v, c.type);
            });
            return o;
          },
          t: "dynamic",
        };
      }
      case "column_ifexists": case "columnifexists": {
        const colName = String(this.constant(args[0]));
        const i = env.cols.get(colName);
        if (i !== undefined) return { f: (r) => r[i]!, t };
        // Unnamed with the column missing, Kusto.Language names the result like any unnamed expression (Column1,
        // print_0) while column-ifexists-function.md's output shows the default column's own name: refuse.
        if (isUnnamedElement(node)) this.unsupported(node, `unnamed ${name}() of a missing column (name it: its column name differs between Kusto.Language and the docs)`);
        return this.scalar(args[1], env);
      }
    }
    if (!fns.has(sym)) {
      if (sym && symbolKind(sym) === "Function") return this.expand(node, undefined, env) as CExpr;
      return this.unsupported(node, `function ${name}()`);
    }
    const argExprs = args.map((a) => this.scalar(a, env));
    const argTypes = argExprs.map((a) => a.t);
    const resolved = resolveScalar(name, argTypes);
    if (!resolved) return this.unsupported(node, `function ${name}(${argTypes.join(", ")})`);
    if (resolved.overload.tuple || symbolKind(node.ResultType ?? {}) === "Tuple") {
      return this.unsupported(node, `${name}() returns several columns: use it on its own in extend, project or print`);
    }
    const ctx = this.input.ctx;
    const fs = argExprs.map((a) => a.f);
    const n = fs.length;
    const retType = t === "dynamic" && resolved.returns !== "dynamic" ? resolved.returns : t;
    const f: Expr = (row) => {
      const vals = new Array<Value>(n);
      for (let i = 0; i < n; i++) vals[i] = fs[i]!(row);
      return invokeScalar(resolved, vals, ctx, argTypes);
    };
    if (!resolved.fn.volatile && argExprs.every((a) => a.konst)) {
      // Folded now, outside any operator's error wrapper (print): a builtin's refusal gets the call's position.
      try { return konst(f([]), retType); } catch (e) { return this.locateUnsupported(e, node); }
    }
    const special = this.specialized(resolved, argExprs, argTypes);
    return { f: special ?? f, t: retType };
  }

  private setBinAutoOption(st: KAny, opt: string): void {
    const e = st.ValueClause?.Expression ? this.scalar(st.ValueClause.Expression, emptyEnv()) : undefined;
    if (!e?.konst || e.konst.v === null) this.unsupported(st, `set ${opt} to a value that is not a constant`);
    this.binAutoOptions.set(opt, e);
  }

  /**
   * bin_auto(x) = bin_at(x, query_bin_auto_size, query_bin_auto_at) (bin-auto-function.md). The fixed point
   * defaults to 0 for numbers and timespans; for a datetime the page does not say what 0 is, so it is refused.
   */
  private binAuto(node: KAny, args: KAny[], env: Env, t: KqlType): CExpr {
    const size = this.binAutoOptions.get("query_bin_auto_size");
    if (!size) return this.unsupported(node, "bin_auto() without set query_bin_auto_size");
    const value = this.scalar(args[0], env);
    const at = this.binAutoOptions.get("query_bin_auto_at")
      ?? (value.t === "timespan" ? konst(0n, "timespan") : value.t === "datetime" ? undefined : konst(0, "long"));
    if (!at) return this.unsupported(node, "bin_auto() of a datetime without set query_bin_auto_at");
    const types = [value.t, size.t, at.t];
    const resolved = resolveScalar("bin_at", types);
    if (!resolved) return this.unsupported(node, `bin_auto() of ${value.t} with a ${size.t} bin size and a ${at.t} fixed point`);
    const ctx = this.input.ctx, f = value.f, sizeV = size.konst!.v, atV = at.konst!.v;
    return { f: (row) => invokeScalar(resolved, [f(row), sizeV, atV], ctx, types), t };
  }

  /** A call whose arguments after the first are constants, through its overload's specialize() (see registry). */
  private specialized(call: ResolvedCall, argExprs: CExpr[], argTypes: KqlType[]): Expr | undefined {
    const spec = call.overload.specialize;
    if (!spec || argExprs.length === 0 || call.fn.volatile) return undefined;
    const constants: Value[] = [];
    for (let i = 1; i < argExprs.length; i++) {
      const k = argExprs[i]!.konst;
      if (!k) return undefined;
      const v = call.coerce[i] ? call.coerce[i]!(k.v) : k.v;
      if (v === null || v === undefined) return undefined;
      constants[i] = v;
    }
    const one = spec(constants, argTypes);
    if (!one) return undefined;
    const first = argExprs[0]!.f, coerce = call.coerce[0];
    const nullResult = nullOf(call.returns);
    if (call.fn.nulls === "propagate") {
      return (row) => {
        const v = coerce ? coerce(first(row)) : first(row);
        return v === null || v === undefined ? nullResult : one(v);
      };
    }
    return coerce ? (row) => one(coerce(first(row))) : (row) => one(first(row));
  }

  private rowNumber(node: KAny, args: KAny[], env: Env): CExpr {
    const cursor = env.cursor;
    if (!cursor) return this.unsupported(node, "row_number() here");
    cursor.used = true;
    const start = args[0] ? Number(this.constant(args[0])) : 1;
    if (args.length < 2) return { f: () => cursor.i + start, t: "long" };
    // row_number(start, restart): back to `start` on the first row and wherever restart is true. Rows are
    // evaluated in order, so the running counter is plain state.
    const restart = this.scalar(args[1], env).f;
    let n = start;
    return { f: (row) => { n = cursor.i === 0 || restart(row) === true ? start : n + 1; return n; }, t: "long" };
  }

  /**
   * row_window_session(expr, maxFromFirst, maxBetweenNeighbors [, restart]): the start value of the row's
   * session; a new session starts on the first row, on restart, or when the value is more than maxFromFirst
   * after the session start or more than maxBetweenNeighbors after the previous row (row-window-session-function.md).
   */
  private rowWindowSession(node: KAny, args: KAny[], env: Env): CExpr {
    const cursor = env.cursor;
    if (!cursor) return this.unsupported(node, "row_window_session() here");
    cursor.used = true;
    if (args.length < 3) return this.unsupported(node, "row_window_session() arguments");
    const e = this.scalar(args[0], env);
    const maxFirst = this.constant(args[1]), maxNeighbor = this.constant(args[2]);
    if (e.t !== "datetime" || typeof maxFirst !== "bigint" || typeof maxNeighbor !== "bigint") return this.unsupported(node, "row_window_session() on non-datetime values");
    const restart = args[3] ? this.scalar(args[3], env).f : undefined;
    let start: bigint | null = null, prev: bigint | null = null;
    return {
      f: (row) => {
        const v = e.f(row) as bigint | null;
        const restartNow = restart ? restart(row) === true : false;
        if (cursor.i === 0 || restartNow || start === null || prev === null || v === null ||
          v - start > maxFirst || v - prev > maxNeighbor) start = v;
        prev = v;
        return start;
      },
      t: "datetime",
    };
  }

  /** row_cumsum(expr [, restart]): running sum in serialized order (nulls add nothing). */
  private rowCumsum(node: KAny, args: KAny[], env: Env): CExpr {
    const cursor = env.cursor;
    if (!cursor) return this.unsupported(node, "row_cumsum() here");
    cursor.used = true;
    const e = this.scalar(args[0], env);
    if (e.t !== "int" && e.t !== "long" && e.t !== "real" && e.t !== "decimal") return this.unsupported(node, `row_cumsum() of ${e.t}`);
    const restart = args[1] ? this.scalar(args[1], env).f : undefined;
    if (e.t === "int" || e.t === "long") {
      // Every running total is output, so each must be exact (int64.ts).
      const acc = new ExactIntSum("row_cumsum()");
      return {
        f: (row) => {
          if (cursor.i === 0 || (restart && restart(row) === true)) acc.reset();
          const v = e.f(row);
          if (typeof v === "number") acc.plus(v);
          return acc.total();
        },
        t: typeOfNode(node),
      };
    }
    let sum = 0;
    return {
      f: (row) => {
        if (cursor.i === 0 || (restart && restart(row) === true)) sum = 0;
        const v = e.f(row);
        if (typeof v === "number") sum += v;
        return sum;
      },
      t: typeOfNode(node),
    };
  }

  /**
   * row_rank_dense(term [, restart]) / row_rank_min(term [, restart]) (row-rank-*-function.md): the dense rank
   * grows by one whenever the term differs from the previous row's; the min rank is the row number where the
   * current run of equal terms started. Both restart at 1 on the first row and where restart is true. Inputs the
   * docs leave open are refused: null or dynamic terms, and (row_rank_min) a term that comes back after another.
   */
  private rowRank(node: KAny, name: string, args: KAny[], env: Env): CExpr {
    const cursor = env.cursor;
    if (!cursor) return this.unsupported(node, `${name}() here`);
    cursor.used = true;
    const term = this.scalar(args[0], env);
    if (term.t === "dynamic") return this.unsupported(node, `${name}() of a dynamic term`);
    const restart = args[1] ? this.scalar(args[1], env).f : undefined;
    const dense = name === "row_rank_dense";
    const refuse = (what: string): never => this.unsupported(node, `${name}() ${what}`);
    let prev: Value = null, rank = 0, n = 0;
    const seen = new Set<Value>();
    return {
      f: (row) => {
        const v = term.f(row);
        if (v === null || v === undefined) return refuse("of a null term");
        if (cursor.i === 0 || (restart && restart(row) === true)) {
          n = 1; rank = 1; seen.clear();
        } else {
          n++;
          if (v !== prev) {
            if (!dense && seen.has(v)) refuse("of a term that reappears after a different one");
            rank = dense ? rank + 1 : n;
          }
        }
        prev = v;
        if (!dense) seen.add(v);
        return rank;
      },
      t: "long",
    };
  }

  /** bag_pack_columns(c1, c2, …): bag_pack of each column's name and value (bag-pack-columns-function.md). */
  private bagPackColumns(node: KAny, args: KAny[], env: Env): CExpr {
    const names: string[] = [];
    for (const a of args) {
      const sym = a.ReferencedSymbol;
      if (kindOf(a) !== "NameReference" || !sym || symbolKind(sym) !== "Column") return this.unsupported(a, "bag_pack_columns() of something other than a column");
      names.push(String(sym.Name));
    }
    const values = args.map((a) => this.scalar(a, env));
    const argTypes: KqlType[] = values.flatMap((v) => ["string", v.t] as KqlType[]);
    const pack = resolveScalar("bag_pack", argTypes);
    if (!pack) return this.unsupported(node, `bag_pack_columns(${values.map((v) => v.t).join(", ")})`);
    const ctx = this.input.ctx;
    return {
      f: (row) => invokeScalar(pack, values.flatMap((v, i) => [names[i]!, v.f(row)]), ctx, argTypes),
      t: "dynamic",
    };
  }

  private prevNext(node: KAny, name: string, args: KAny[], env: Env): CExpr {
    const cursor = env.cursor;
    if (!cursor) return this.unsupported(node, `${name}() here`);
    cursor.used = true;
    const e = this.scalar(args[0], env);
    const off = args[1] ? Number(this.constant(args[1])) : 1;
    const dflt = args[2] ? this.scalar(args[2], env) : undefined;
    const sign = name === "prev" ? -1 : 1;
    return {
      f: (row) => {
        const j = cursor.i + sign * off;
        if (j < 0 || j >= cursor.rows.length) return dflt ? dflt.f(row) : nullOf(e.t);
        return e.f(cursor.rows[j]!);
      },
      t: e.t,
    };
  }
}

/**
 * Column values repeat a lot (process names, hosts): remembering the answer for recent strings avoids
 * re-lower-casing and re-scanning them. Bounded so that high-cardinality columns cost only a Map miss.
 */
function memoStringPredicate(pred: (s: string) => boolean): (s: string) => boolean {
  let cache = new Map<string, boolean>();
  return (s) => {
    const hit = cache.get(s);
    if (hit !== undefined) return hit;
    const v = pred(s);
    if (s.length <= 256) {
      if (cache.size >= 4096) cache = new Map();
      cache.set(s, v);
    }
    return v;
  };
}

/** Output column j is input column map[j] (project-away/keep/reorder/rename): rows are copied, not computed. */
function permuted(outCols: ResultColumnInfo[], input: Plan, map: readonly (number | undefined)[]): Plan {
  const n = map.length;
  const lend = (need: Need | undefined, sink: WeightedSink, weighted = false): boolean => {
    // Only the needed output columns are copied (their input columns are all the input must deliver).
    const outs = neededPositions(need, n);
    const inNeed = need ? input.columns.map(() => false) : undefined;
    if (inNeed) for (const j of outs) inNeed[map[j]!] = true;
    const o: Row = new Array<Value>(n).fill(null);
    const m = outs.length;
    return feedRows(input, inNeed, weighted, (r, w) => {
      for (let k = 0; k < m; k++) { const j = outs[k]!; o[j] = r[map[j]!]!; }
      sink(o, w!);
    });
  };
  return streamPlan(outCols, (sink) => forEachRow(input, (r) => sink(map.map((i) => r[i!]!))), (sink) => { lend(undefined, sink); },
    (need, sink) => { lend(need, sink); }, (need, sink) => lend(need, sink, true));
}

function emptyEnv(): Env {
  return { cols: new Map(), columns: [] };
}

/** `datetime(2025, 6, 14)` (year, month, day — the startofweek docs example); an invalid date is refused (null). */
function datetimeFromParts(inner: string): bigint | null {
  const m = /^(\d{4})\s*,\s*(\d{1,2})\s*,\s*(\d{1,2})$/.exec(inner);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return null;
  return fromCivil(y, mo, d);
}

function unwrapLiteral(text: string, names: string[]): string {
  const m = /^([A-Za-z]+)\s*\(([\s\S]*)\)$/.exec(text);
  if (m && names.includes(m[1]!.toLowerCase())) return m[2]!.trim();
  return text;
}

function literalText<T>(node: KAny, names: string[], conv: (s: string) => T | undefined): T | null | undefined {
  const inner = unwrapLiteral(String(node.ToString(0)).trim(), names);
  if (inner.toLowerCase() === "null") return null;
  return conv(inner.toLowerCase());
}

/** A typed value as a dynamic (JSON) value, with the builtins' rules (datetime → ISO text with 7 digits…). */
export function toDyn(v: Value, t: KqlType): Dyn {
  return builtinToDyn(v, t);
}

function refuseTypedVsString(v: DynScalar): never {
  throw new KqlError("unsupported", `unsupported: comparison of a dynamic ${v.type} value with a string`);
}

/** Converts a dynamic operand for comparison with a typed one (datetime/timespan from their text). */
function dynToTyped(f: Expr, t: KqlType): Expr {
  // A typed member (DynScalar) compares as its own type; text is parsed as before.
  const typed = (v: Value, want: KqlType): Value => (v instanceof DynScalar && v.type === want ? v.value : null);
  // Text reads as todatetime()/totimespan() do (datetime-text.ts): undocumented date-shaped text is refused.
  if (t === "datetime") return (r) => { const v = f(r); return typeof v === "string" ? parseDatetimeStrict(v, "todatetime() (dynamic text compared with a datetime)") : typed(v, t); };
  if (t === "timespan") return (r) => { const v = f(r); return typeof v === "string" ? parseTimespanStrict(v, "totimespan() (dynamic text compared with a timespan)") : typed(v, t); };
  // A dynamic number/bool/bag compared with a string is not equal to its text: only dynamic strings compare.
  // A typed member (datetime/timespan/guid) against a string: Kusto's rule is not documented, so refuse.
  if (t === "string") return (r) => { const v = f(r); return typeof v === "string" ? v : v instanceof DynScalar ? refuseTypedVsString(v) : null; };
  if (t === "bool") return (r) => { const v = f(r); return typeof v === "boolean" ? v : null; };
  if (t === "int" || t === "long" || t === "real" || t === "decimal") return (r) => dynNum(f(r)); // 2.0 held as DynScalar too
  if (t === "guid") return (r) => { const v = f(r); return typeof v === "string" ? v.toLowerCase() : typed(v, t); };
  return f;
}

function comparable(a: KqlType, b: KqlType): boolean {
  if (a === b || a === "dynamic" || b === "dynamic") return true;
  const num = (t: KqlType) => t === "int" || t === "long" || t === "real" || t === "decimal";
  return num(a) && num(b);
}

/** Non-string operands of string operators convert with tostring() semantics. */
function asStringExpr(e: CExpr): Expr {
  if (e.t === "string") return e.f;
  const f = e.f, t = e.t;
  return (r) => kqlToString(f(r), t);
}

function dotnetType(t: KqlType): string {
  const m: Record<KqlType, string> = {
    bool: "Boolean", int: "Int32", long: "Int64", real: "Double", decimal: "Data.SqlTypes.SqlDecimal", string: "String",
    datetime: "DateTime", timespan: "TimeSpan", guid: "Guid", dynamic: "Object",
  };
  return m[t];
}

/** Aggregates refused in summarize when unnamed (see summarize()): disputed default column names. */
const DISPUTED_DEFAULT_NAME = /^(covariancep?(if)?|percentilesw_array)$/;
const WINDOW_FUNCTIONS = new Set(["row_number", "row_cumsum", "row_window_session", "prev", "next", "row_rank_dense", "row_rank_min"]);
/** window-functions.md: operators that keep a serialized input serialized. */
const SERIALIZATION_PRESERVING = new Set([
  "ExtendOperator", "MvExpandOperator", "ParseOperator", "ProjectOperator", "ProjectAwayOperator",
  "ProjectRenameOperator", "TakeOperator", "FilterOperator",
]);
/** Operators whose output is not serialized whatever their input. */
const UNSERIALIZING_OPERATORS = new Set([
  "SummarizeOperator", "JoinOperator", "LookupOperator", "DistinctOperator", "UnionOperator", "MakeSeriesOperator",
]);

/** An expression standing unnamed as an element of an operator's list (project/extend/print/summarize/by/…), not a call argument. */
function isUnnamedElement(node: KAny): boolean {
  let p = node.Parent;
  while (p && kindOf(p) === "ParenthesizedExpression") p = p.Parent;
  if (!p || kindOf(p) !== "SeparatedElement") return false;
  const owner = p.Parent?.Parent;
  return !!owner && kindOf(owner) !== "ExpressionList";
}

/** The name `… | as Name` gives a tabular expression (union's withsource label and search's $table, as-operator.md). */
export function asNameOf(e: KAny): string | undefined {
  const x = e && kindOf(e) === "ParenthesizedExpression" ? e.Expression : e;
  if (!x || kindOf(x) !== "PipeExpression" || kindOf(x.Operator) !== "AsOperator") return undefined;
  const name = x.Operator.Name?.SimpleName ?? x.Operator.Name?.ToString?.(0);
  return name ? String(name).trim() : undefined;
}

/** Wraps an error thrown by a downstream sink while it passes through an upstream operator's row loop. */
class Downstream {
  constructor(readonly error: unknown) {}
}

function operatorName(kind: string): string {
  const special: Record<string, string> = {
    FilterOperator: "where", ProjectAwayOperator: "project-away", ProjectKeepOperator: "project-keep",
    ProjectReorderOperator: "project-reorder", ProjectRenameOperator: "project-rename", MvExpandOperator: "mv-expand",
    MvApplyOperator: "mv-apply", ParseWhereOperator: "parse-where", ParseKvOperator: "parse-kv", MakeSeriesOperator: "make-series",
    TopNestedOperator: "top-nested", TopHittersOperator: "top-hitters", SampleDistinctOperator: "sample-distinct",
    GetSchemaOperator: "getschema", ProjectByNamesOperator: "project-by-names", FindOperator: "find", SearchOperator: "search",
  };
  return special[kind] ?? kind.replace(/Operator$/, "").toLowerCase();
}

const BIN_AUTO_OPTIONS = new Set(["query_bin_auto_size", "query_bin_auto_at"]);

const NEUTRAL_OPTIONS = new Set([
  "notruncation", "truncationmaxrecords", "truncationmaxsize", "servertimeout", "maxmemoryconsumptionperiterator",
  "max_memory_consumption_per_query_per_node", "query_fanout_nodes_percent", "query_fanout_threads_percent",
  "query_results_cache_max_age", "norequesttimeout", "query_take_max_records", "request_readonly", "hint.concurrency",
]);

const ARITH: Record<string, string> = {
  AddExpression: "+", SubtractExpression: "-", MultiplyExpression: "*", DivideExpression: "/", ModuloExpression: "%",
};
const REL: Record<string, string> = {
  LessThanExpression: "<", LessThanOrEqualExpression: "<=", GreaterThanExpression: ">", GreaterThanOrEqualExpression: ">=",
};
// Kusto.Language names the case-insensitive `in~` InCsExpression (checked against the parser).
const SET_OP_KINDS: Record<string, string> = {
  InExpression: "in", NotInExpression: "!in", InCsExpression: "in~", NotInCsExpression: "!in~",
  HasAnyExpression: "has_any", HasAllExpression: "has_all",
};

const STRING_OP_KINDS: Record<string, string> = {
  HasExpression: "has", HasCsExpression: "has_cs", NotHasExpression: "!has", NotHasCsExpression: "!has_cs",
  HasPrefixExpression: "hasprefix", HasPrefixCsExpression: "hasprefix_cs", NotHasPrefixExpression: "!hasprefix", NotHasPrefixCsExpression: "!hasprefix_cs",
  HasSuffixExpression: "hassuffix", HasSuffixCsExpression: "hassuffix_cs", NotHasSuffixExpression: "!hassuffix", NotHasSuffixCsExpression: "!hassuffix_cs",
  ContainsExpression: "contains", ContainsCsExpression: "contains_cs", NotContainsExpression: "!contains", NotContainsCsExpression: "!contains_cs",
  StartsWithExpression: "startswith", StartsWithCsExpression: "startswith_cs", NotStartsWithExpression: "!startswith", NotStartsWithCsExpression: "!startswith_cs",
  EndsWithExpression: "endswith", EndsWithCsExpression: "endswith_cs", NotEndsWithExpression: "!endswith", NotEndsWithCsExpression: "!endswith_cs",
  MatchesRegexExpression: "matches regex", EqualTildeExpression: "=~", BangTildeExpression: "!~",
};
