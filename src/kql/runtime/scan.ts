// scan: steps matched over the serialized input with a per-step state, exactly as scan-operator.md's "Scan
// logic" describes (each record is checked against the steps from last to first; Check 1 promotes the previous
// step's state, Check 2 extends the step's own active sequence or, for the first step, starts a new one).
// Conditions and assignments are compiled once against a wide row: the current record followed by one block per
// step (its input columns and declared columns) filled from the state being evaluated; `step.col` reads a block.
// Where the reference leaves a value unspecified, compilation refuses: `output=last`, output rows or state reads
// of declared columns that the step does not assign, unqualified reads of declared columns.
import type { ResultColumnInfo } from "../api.js";
import type { KAny } from "../kusto.js";
import type { CExpr, Compiler, Env, Expr } from "../compiler.js";
import { columnsOf, elems, kindOf, typeOfNode } from "../compiler.js";
import { nullOf, type KqlType, type Value } from "../values.js";
import { indexColumns, type Plan, type Row } from "./table.js";

interface Step {
  name: string;
  output: "all" | "none";
  cond: Expr;
  /** Declared-column index → value, evaluated in order against the same wide row. */
  assign: { d: number; f: Expr }[];
}

/** One active sequence: the rows recorded for steps 0..k (undefined = not yet recorded) and its match id. */
interface Sequence { rows: (Row | undefined)[]; id: number }

export function compileScan(c: Compiler, op: KAny, input: Plan): Plan {
  const outCols = columnsOf(op);
  let matchIdName: string | undefined;
  for (const p of elems(op.Parameters)) {
    const name = String(p.Name.SimpleName ?? p.Name.ToString(0)).trim().toLowerCase();
    if (name !== "with_match_id") c.unsupported(p, `scan parameter ${name}`);
    matchIdName = String(p.Expression.SimpleName ?? p.Expression.ToString(0)).trim();
  }
  const nIn = input.columns.length;
  const inNames = new Set(input.columns.map((x) => x.name));

  // Declared columns with their defaults (null of the type unless given).
  const declared: ResultColumnInfo[] = [];
  const defaults: Value[] = [];
  for (const d of op.DeclareClause ? elems(op.DeclareClause.Declarations) : []) {
    const nt = d.NameAndType;
    const name = String(nt.Name.SimpleName);
    const type = typeOfNode(nt.Name);
    if (inNames.has(name)) c.unsupported(d, `scan declaring input column '${name}'`);
    let v: Value = nullOf(type);
    if (d.DefaultValue) {
      // The binder leaves default values untyped: a literal's type comes from its syntax kind.
      const lit = literalType(d.DefaultValue.Value);
      const e = lit ? c.scalar(d.DefaultValue.Value, c.rowEnv([])) : undefined;
      if (!lit || !e?.konst) return c.unsupported(d.DefaultValue, "scan default value that is not a literal");
      v = fitDeclared(c, d.DefaultValue, { ...e, t: lit }, type).konst!.v;
    }
    declared.push({ name, type });
    defaults.push(v);
  }
  const nDecl = declared.length;
  const width = nIn + nDecl;
  const expected = [...input.columns, ...declared, ...(matchIdName ? [{ name: matchIdName, type: "long" as KqlType }] : [])];
  // Without with_match_id Kusto.Language adds a `match_id` column that Kusto does not output (the reference's
  // examples show none). The narrower result is only produced where nothing downstream was bound to the wider one.
  const bound = !matchIdName && outCols.length === expected.length + 1 && outCols[expected.length]!.name === "match_id"
    ? outCols.slice(0, expected.length) : outCols;
  if (expected.length !== bound.length || expected.some((x, i) => x.name !== bound[i]!.name || x.type !== bound[i]!.type)) {
    c.unsupported(op, "scan output schema");
  }
  if (bound !== outCols && !narrowerResultIsSafe(c, op)) {
    c.unsupported(op, "scan without with_match_id followed by operators bound to Kusto.Language's extra match_id column");
  }

  const stepNodes = elems(op.Steps);
  const stepNames = stepNodes.map((s) => String(s.Name.SimpleName));
  const stepIndex = new Map(stepNames.map((n, i) => [n, i]));
  const declIndex = indexColumns(declared);
  const assigned = stepNodes.map((s) => new Set<string>(
    s.ComputationClause ? elems(s.ComputationClause.Assignments).map((a: KAny) => String(a.Name.SimpleName)) : [],
  ));
  const blockOf = (j: number): number => nIn + j * width;
  const wideWidth = nIn + stepNodes.length * width;

  const steps: Step[] = stepNodes.map((s, k) => {
    const outKind = s.ScanStepOutput ? String(s.ScanStepOutput.OutputKind.Text ?? s.ScanStepOutput.OutputKind.ToString(0)).trim().toLowerCase() : "all";
    if (outKind !== "all" && outKind !== "none") c.unsupported(s, `scan step output=${outKind}`);
    if (outKind === "all" && assigned[k]!.size !== nDecl) {
      c.unsupported(s, `scan step '${stepNames[k]}' that outputs rows without assigning every declared column`);
    }
    const env: Env = {
      ...c.rowEnv(input.columns),
      qualified: (node: KAny, qualifier: string, col: string): CExpr | undefined => {
        const j = stepIndex.get(qualifier);
        if (j === undefined) return undefined;
        if (j > k) c.unsupported(node, `scan step '${stepNames[k]}' reading the state of a later step '${qualifier}'`);
        const di = declIndex.get(col);
        if (di !== undefined && !assigned[j]!.has(col)) c.unsupported(node, `scan state value ${qualifier}.${col} that step '${qualifier}' does not assign`);
        const ci = di !== undefined ? nIn + di : input.columns.findIndex((x) => x.name === col);
        if (ci < 0) c.unsupported(node, `scan state reference ${qualifier}.${col}`);
        const at = blockOf(j) + ci;
        return { f: (r) => r[at]!, t: di !== undefined ? declared[di]!.type : input.columns[ci]!.type };
      },
    };
    const assign: { d: number; f: Expr }[] = [];
    for (const a of s.ComputationClause ? elems(s.ComputationClause.Assignments) : []) {
      const d = declIndex.get(String(a.Name.SimpleName));
      if (d === undefined) c.unsupported(a, "scan assignment to an undeclared column");
      assign.push({ d: d!, f: fitDeclared(c, a, c.scalar(a.Expression, env), declared[d!]!.type).f });
    }
    const cond = c.scalar(s.Condition, env);
    if (cond.t !== "bool") c.unsupported(s.Condition, `scan step condition of type ${cond.t}`);
    return { name: stepNames[k]!, output: outKind, cond: cond.f, assign };
  });

  const emptyBlock: Row = [...input.columns.map((x) => nullOf(x.type)), ...defaults];
  return {
    columns: bound,
    run: () => {
      const n = steps.length;
      const state: (Sequence | null)[] = new Array(n).fill(null);
      const wide: Row = new Array<Value>(wideWidth).fill(null);
      const out: Row[] = [];
      let nextId = 0;
      // Lays out the record and the state's recorded rows (absent ones read as nulls and declared defaults).
      const load = (r: Row, seq: Sequence | null): Row => {
        for (let i = 0; i < nIn; i++) wide[i] = r[i]!;
        for (let j = 0; j < n; j++) {
          const src = seq?.rows[j] ?? emptyBlock;
          const base = blockOf(j);
          for (let i = 0; i < width; i++) wide[base + i] = src[i]!;
        }
        return wide;
      };
      const extend = (step: Step, r: Row, w: Row): Row => {
        const ext = r.slice(0, nIn);
        for (let i = 0; i < nDecl; i++) ext.push(defaults[i]!);
        for (const a of step.assign) ext[nIn + a.d] = a.f(w);
        return ext;
      };
      const emit = (ext: Row, id: number): void => { out.push(matchIdName ? [...ext, id] : ext.slice()); };
      for (const r of input.run()) {
        for (let k = n - 1; k >= 0; k--) {
          const step = steps[k]!;
          const prev = k > 0 ? state[k - 1]! : null;
          // Check 1: the previous step's sequence advances to this step.
          if (prev) {
            const w = load(r, prev);
            if (step.cond(w) === true) {
              const ext = extend(step, r, w);
              state[k - 1] = null;
              const rows = prev.rows.slice();
              rows[k] = ext;
              state[k] = { rows, id: prev.id };
              if (step.output === "all") emit(ext, prev.id);
              continue;
            }
          }
          // Check 2: the step's own active sequence (or, for the first step, a new one) takes the record.
          const own = state[k];
          if (!own && k > 0) continue;
          const w = load(r, own);
          if (step.cond(w) !== true) continue;
          const ext = extend(step, r, w);
          let seq = own;
          if (!seq) { seq = { rows: [], id: nextId++ }; state[k] = seq; }
          seq.rows[k] = ext;
          if (step.output === "all") emit(ext, seq.id);
        }
      }
      return out;
    },
  };
}

/** A value stored in a declared column: same type, or a number widened (int → long → real). */
function fitDeclared(c: Compiler, node: KAny, e: CExpr, to: KqlType): CExpr {
  if (e.t === to) return e;
  const widen = (e.t === "int" && (to === "long" || to === "real")) || (e.t === "long" && to === "real");
  if (widen) return e;
  if (e.konst && e.konst.v === null) { const v = nullOf(to); return { f: () => v, t: to, konst: { v } }; }
  return c.unsupported(node, `scan value of type ${e.t} in a ${to} column`);
}

const LITERAL_TYPES: Record<string, KqlType> = {
  IntLiteralExpression: "int", LongLiteralExpression: "long", RealLiteralExpression: "real", StringLiteralExpression: "string",
  BooleanLiteralExpression: "bool", DateTimeLiteralExpression: "datetime", TimespanLiteralExpression: "timespan",
  GuidLiteralExpression: "guid",
};

function literalType(node: KAny): KqlType | undefined {
  const k = kindOf(node);
  if (k === "UnaryMinusExpression" || k === "UnaryPlusExpression") {
    const t = literalType(node.Expression);
    return t === "int" || t === "long" || t === "real" || t === "timespan" ? t : undefined;
  }
  return LITERAL_TYPES[k];
}

/**
 * True when a result without the binder's extra match_id column can flow on: through row filters (which compile
 * against the actual columns, so a reference to match_id is refused) and out of a partition subquery, up to a
 * project, summarize or count, or the query result.
 */
function narrowerResultIsSafe(c: Compiler, op: KAny): boolean {
  const ROW_FILTERS = new Set(["FilterOperator", "SortOperator", "TakeOperator", "TopOperator"]);
  let n = op.Parent && kindOf(op.Parent) === "PipeExpression" && op.Parent.Operator === op ? op.Parent : op;
  for (;;) {
    const parent = n.Parent;
    if (parent && kindOf(parent) === "PipeExpression" && parent.Expression === n) {
      const k = kindOf(parent.Operator);
      // These name every output column themselves and compile against the actual input columns.
      if (k === "ProjectOperator" || k === "SummarizeOperator" || k === "CountOperator") return true;
      if (!ROW_FILTERS.has(k)) return false;
      n = parent;
    } else if (parent && kindOf(parent) === "PartitionSubquery") {
      const partition = parent.Parent;
      n = partition.Parent && kindOf(partition.Parent) === "PipeExpression" && partition.Parent.Operator === partition ? partition.Parent : partition;
    } else return c.isQueryResultAfterRowFilters(n);
  }
}
