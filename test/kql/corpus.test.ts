// Runs every real query of the shared corpus (Azure-Sentinel hunting/detection YAML and the community .kql files)
// through the local engine, once on empty tables and once on small sample tables generated from the table schemas
// (built-ins + ../shared/corpus/schemas). The only acceptable failures are an honest KqlError "unsupported", or a
// semantic error naming something the schemas do not declare (a table, column or workspace function). Anything
// else — a crash, a runtime/data error, a wrong kind — is a bug. Queries that currently fail that way are listed in
// conformance/corpus-known-failures.json and run as `test.fails` (fixing one turns it red until the entry goes).
// The run prints the ranking of unsupported reasons: the to-do list for the engine.
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import YAML from "yaml";
import type { InputRows } from "../../src/kql/api.js";
import type { KqlType } from "../../src/kql/values.js";
import { loadSchemas } from "../../src/schemas/loader.js";
import type { SchemaSet, TableSchema } from "../../src/schemas/model.js";
import { loadEngine } from "./conformance/run.js";
import { valueModelViolations } from "./conformance/value-model.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const corpusRoot = path.resolve(here, "../../../shared/corpus");
const knownPath = path.join(here, "conformance/corpus-known-failures.json");
const known = JSON.parse(readFileSync(knownPath, "utf8")) as Record<string, string>;
/** Pinned so that ago()/now() filters see the generated TimeGenerated values as recent. */
const NOW = "2024-05-01T12:00:00Z";
const SAMPLE_ROWS = 10;
const LITERAL_ROWS = 6;

interface CorpusQuery { id: string; query: string }

function walk(dir: string, pred: (f: string) => boolean, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) walk(p, pred, out);
    else if (pred(p)) out.push(p);
  }
  return out;
}

/** Sentinel YAML (`query:` bodies; migration stubs without a query are skipped) and community .kql files. */
export function corpusQueries(): CorpusQuery[] {
  const out: CorpusQuery[] = [];
  for (const f of walk(path.join(corpusRoot, "sentinel"), (p) => /\.ya?ml$/i.test(p))) {
    // parseDocument tolerates the few corpus files with YAML errors elsewhere in the document (entity mappings).
    const query = YAML.parseDocument(readFileSync(f, "utf8")).get("query");
    if (typeof query === "string" && query.trim()) out.push({ id: path.relative(corpusRoot, f), query });
  }
  for (const f of walk(path.join(corpusRoot, "community"), (p) => p.endsWith(".kql"))) {
    const text = readFileSync(f, "utf8");
    if (text.trim()) out.push({ id: path.relative(corpusRoot, f), query: text });
  }
  return out;
}

// ---------- sample data ----------

/** String and integer literals of the query: sample rows reuse them so that typical filters (EventID == 4625,
 * OperationName == "Add member to role", has "mimikatz") select some rows and the later stages really run. */
export function queryLiterals(query: string): { strings: string[]; numbers: number[] } {
  const noComments = query.replace(/\/\/[^\n]*/g, "");
  const strings = [...noComments.matchAll(/@?(["'])((?:(?!\1)[^\\\n]|\\.)*)\1/g)].map((m) => m[2]!).filter((x) => x.length > 0);
  const numbers = [...noComments.matchAll(/(?<![\w.])(\d{1,9})(?![\w.:])/g)].map((m) => Number(m[1]));
  return { strings: [...new Set(strings)].slice(0, 12), numbers: [...new Set(numbers)].slice(0, 12) };
}

/** Deterministic, plausible values per type; column-name hints make IPs, accounts and JSON look real. */
function sampleValue(col: string, type: KqlType, i: number, now: number, lit: ReturnType<typeof queryLiterals>): unknown {
  const n = col.toLowerCase();
  // The first rows carry the query's own literals (row i uses literal i), the others generic values.
  const fromLiteral = i < LITERAL_ROWS;
  switch (type) {
    case "datetime": return new Date(now - (i * 37 + 5) * 60_000).toISOString();
    case "timespan": return `00:${String(i * 7 % 60).padStart(2, "0")}:00`;
    case "bool": return i % 2 === 0;
    case "int": case "long":
      if (fromLiteral && lit.numbers.length) return lit.numbers[i % lit.numbers.length];
      return (i * 7) % 5 + (n.includes("port") ? 440 : 0);
    case "real": case "decimal": return i * 1.5;
    case "guid": return `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`;
    case "dynamic":
      return i % 3 === 0 ? { key: `value${i}`, list: [1, 2], nested: { name: `n${i}` } }
        : i % 3 === 1 ? [`item${i}`, { name: `n${i}`, value: i }] : null;
    case "string":
      if (fromLiteral && lit.strings.length) return lit.strings[i % lit.strings.length];
      if (/ip(address|addr)?$|^ip|address$/i.test(col) && !/mac|email|mail/i.test(n)) return `10.0.${i % 2}.${i + 1}`;
      if (/upn|userprincipal|account|user|caller|identity/.test(n)) return `user${i % 3}@contoso.com`;
      if (/(properties|details|json|parameters|data|info|extended|additional|claims|tags|result)/.test(n) && i % 2 === 0) {
        return JSON.stringify({ key: `value${i}`, list: [1, 2], name: `n${i}` });
      }
      if (/commandline|command/.test(n)) return `powershell.exe -enc aQBlAHgA ${i}`;
      if (/filename|process|image/.test(n)) return i % 2 ? "cmd.exe" : "powershell.exe";
      return i === SAMPLE_ROWS - 1 ? "" : `${col}_${i % 3}`;
  }
}

function sampleRows(t: TableSchema, now: number, lit: ReturnType<typeof queryLiterals>): InputRows {
  return Array.from({ length: SAMPLE_ROWS }, (_, i) =>
    Object.fromEntries(t.columns.map((c) => [c.name, sampleValue(c.name, c.type, i, now, lit)])));
}

/** Tables a query mentions (identifier match against declared table names). */
function referencedTables(query: string, schemas: SchemaSet): TableSchema[] {
  const words = new Set(query.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []);
  return [...schemas.tables.values()].filter((t) => words.has(t.name));
}

// ---------- classification ----------

type Outcome = "ok" | "unsupported" | "schema" | "frontend" | "failure";

/** Kusto.Language diagnostics for names the schema set does not declare: the schema's gap, not the engine's. */
const UNKNOWN_NAME = /does not refer to any known|not a known|unknown (table|column|function|database)|could not be resolved|is not defined/i;

function classify(e: unknown): { outcome: Outcome; reason: string } {
  const kind = e && typeof e === "object" && (e as { name?: string }).name === "KqlError" ? (e as { kind: string }).kind : undefined;
  const msg = e instanceof Error ? e.message : String(e);
  if (kind === "unsupported") return { outcome: "unsupported", reason: unsupportedKey(msg) };
  // externaldata reads only caller-mapped local copies, which the corpus does not have: the documented refusal.
  if (kind === "runtime" && msg.startsWith("externaldata: no local data")) return { outcome: "unsupported", reason: "externaldata without local data" };
  if (kind === "semantic" && UNKNOWN_NAME.test(msg)) return { outcome: "schema", reason: msg };
  // Rejected by Microsoft's own parser/binder (queries written for a newer/older Kusto, fragments, or schema type
  // mismatches): not the engine's doing, but counted and listed.
  if (kind === "syntax" || kind === "semantic") return { outcome: "frontend", reason: msg };
  const frame = e instanceof Error ? (e.stack ?? "").split("\n").find((l) => l.includes("/src/"))?.trim() : undefined;
  return { outcome: "failure", reason: `${kind ?? `crash ${e instanceof Error ? e.name : typeof e}`}: ${msg}${frame && !kind ? ` (${frame})` : ""}` };
}

/** "unsupported: mv-apply at 3:5" → "mv-apply": positions and literal details removed so reasons rank. */
function unsupportedKey(msg: string): string {
  return msg.replace(/^unsupported:\s*/i, "").replace(/\s+at\s+(line\s+)?\d+:\d+.*$/i, "").replace(/^\d+:\d+:\s*/, "").slice(0, 120);
}

// ---------- the run ----------

const queries = corpusQueries();
const tally = { runs: 0, ok: 0, unsupported: 0, schema: 0, frontend: 0, failure: 0, sampleWithRows: 0 };
const frontendErrors: string[] = [];
const reasons = new Map<string, number>();
let schemas: SchemaSet;

beforeAll(async () => {
  const loaded = await loadSchemas([path.join(corpusRoot, "schemas")]);
  schemas = loaded.schemas;
});

test("the corpus is present and large enough to mean something", () => {
  expect(queries.length).toBeGreaterThan(300);
});

test("corpus-known-failures.json names only corpus queries", () => {
  const ids = new Set(queries.map((q) => q.id));
  expect(Object.keys(known).filter((k) => !ids.has(k))).toEqual([]);
});

/** Runs one query in one mode; returns the failure text (engine bug) or undefined. */
async function runOnce(q: CorpusQuery, mode: "empty" | "sample"): Promise<{ outcome: Outcome; failure?: string }> {
  const runQuery = await loadEngine();
  const tables = mode === "sample"
    ? Object.fromEntries(referencedTables(q.query, schemas).map((t) => [t.name, sampleRows(t, Date.parse(NOW), queryLiterals(q.query))]))
    : undefined;
  tally.runs++;
  try {
    const result = await runQuery(q.query, { schemas, now: NOW, tables, seed: 1 });
    // A result whose cells don't match their column types is a bug even without expected values.
    const bad = valueModelViolations(result);
    if (bad.length) {
      tally.failure++;
      return { outcome: "failure", failure: `[${mode} tables] value model: ${bad.join("; ")}` };
    }
    tally.ok++;
    if (mode === "sample" && result.rows.length > 0) tally.sampleWithRows++;
    return { outcome: "ok" };
  } catch (e) {
    const c = classify(e);
    tally[c.outcome]++;
    if (c.outcome === "unsupported") reasons.set(c.reason, (reasons.get(c.reason) ?? 0) + 1);
    if (c.outcome === "frontend") frontendErrors.push(`${q.id}: ${c.reason}`);
    return c.outcome === "failure" ? { outcome: c.outcome, failure: `[${mode} tables] ${c.reason}` } : { outcome: c.outcome };
  }
}

describe("corpus queries on empty and on sample tables", () => {
  for (const q of queries) {
    const body = async () => {
      const empty = await runOnce(q, "empty");
      // Kusto.Language analysis dominates the cost (median ~0.1 s per query) and does not depend on the data, and the
      // compiler raises "unsupported" before any row is read: only queries that ran on empty tables are re-run on
      // sample tables (where the runtime paths — builtins on real values, joins, mv-expand — are exercised).
      const sample = empty.outcome === "ok" ? await runOnce(q, "sample") : undefined;
      const failures = [empty.failure, sample?.failure].filter(Boolean);
      if (failures.length) throw new Error(failures.join("\n"));
    };
    if (q.id in known) test.fails(q.id, body);
    else test(q.id, body);
  }
});

afterAll(() => {
  const ranking = [...reasons.entries()].sort((a, b) => b[1] - a[1]);
  console.log([
    `KQL corpus: ${queries.length} queries, ${tally.runs} runs (empty tables; sample tables when that ran) — ok ${tally.ok}, unsupported ${tally.unsupported}, ` +
      `schema gaps ${tally.schema}, rejected by Kusto.Language ${tally.frontend}, engine failures ${tally.failure} ` +
      `(known-failure list: ${Object.keys(known).length}); sample runs returning rows: ${tally.sampleWithRows}`,
    "unsupported reasons (runs):",
    ...ranking.map(([r, n]) => `  ${String(n).padStart(4)}  ${r}`),
    "rejected by Kusto.Language (query or schema problem, not the engine's):",
    ...frontendErrors.map((f) => `  ${f}`),
  ].join("\n"));
});
