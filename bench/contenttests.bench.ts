// Content-test benchmark: 1,000 cases (200 corpus rules × 5 cases) generated into a temp dir, then `scac test`
// timed end to end as a fresh process (start-up, schema load, Kusto.Language, every case). Target ≤ 10 s wall.
// Headline: cold cache (no Kusto.Language start-up snapshot yet, as in a first run); warm cache reported besides.
//   node --import tsx bench/contenttests.bench.ts      (SCAC_BENCH_RULES=… to scale; SCAC_BENCH_RUNS=… repeats)
// Rules: Azure-Sentinel detections/hunting YAML from ../shared/corpus plus community .kql files wrapped as
// hunting queries, kept when the local engine runs them over their tables. Events: random rows per referenced
// table whose string values are drawn from the query's own literals (so filters sometimes match). The
// expectations are filled in once with `scac test --update` (untimed); the timed runs check them.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os, { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { stringify } from "yaml";
import { parseContent } from "../src/content/loader.js";
import { runQuery } from "../src/kql/engine.js";
import { loadSchemas } from "../src/schemas/loader.js";
import type { SchemaSet, TableSchema } from "../src/schemas/model.js";

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, "..");
const corpus = join(repo, "../shared/corpus");
const RULES = Number(process.env.SCAC_BENCH_RULES ?? 200);
const CASES = 5;
const RUNS = Number(process.env.SCAC_BENCH_RUNS ?? 3);
const NOW = "2026-06-01T12:00:00Z";

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

let seed = 42;
const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
const pick = <T>(a: readonly T[]): T => a[Math.floor(rand() * a.length)]!;

interface Candidate { name: string; yaml: string; query: string; analytics: boolean; tables: TableSchema[]; literals: string[] }

function candidates(schemas: SchemaSet): Candidate[] {
  const out: Candidate[] = [];
  const tableNames = [...schemas.tables.keys()];
  const consider = (name: string, yaml: string) => {
    const { item } = parseContent(yaml, name);
    if (!item?.query) return;
    const tables = tableNames.filter((t) => new RegExp(`\\b${t}\\b`).test(item.query)).map((t) => schemas.tables.get(t)!);
    if (tables.length === 0) return;
    const literals = [...item.query.matchAll(/["']([^"'\n]{1,60})["']/g)].map((m) => m[1]!).filter((s) => !s.includes("{{"));
    // Kept only when the engine runs it over no events and over sample events (some operators fail only on data).
    const q = item.query.replace(/\{\{StartTimeISO\}\}/g, "2026-05-25T00:00:00Z").replace(/\{\{EndTimeISO\}\}/g, NOW);
    try {
      runQuery(q, { tables: {}, now: NOW, schemas });
      runQuery(q, { tables: Object.fromEntries(tables.map((t) => [t.name, sampleRows(t, literals, 3)])), now: NOW, schemas });
    } catch {
      return; // uses something the local engine or the schemas do not cover
    }
    out.push({ name, yaml, query: item.query, analytics: item.kind === "analytics", tables, literals });
  };
  for (const f of walk(join(corpus, "sentinel")).filter((f) => /\.ya?ml$/.test(f)).sort()) consider(basename(f), readFileSync(f, "utf8"));
  for (const f of walk(join(corpus, "community")).filter((f) => f.endsWith(".kql")).sort()) {
    const q = readFileSync(f, "utf8");
    const id = `00000000-0000-4000-8000-${(out.length + 1).toString(16).padStart(12, "0")}`;
    consider(basename(f), stringify({ id, name: basename(f, ".kql"), description: "community query", query: q }));
  }
  return out;
}

function value(type: string, literals: string[], i: number): unknown {
  switch (type) {
    case "string": return rand() < 0.6 && literals.length ? pick(literals) : `value-${i % 7}`;
    case "int": case "long": return Math.floor(rand() * 5000);
    case "real": case "decimal": return Math.round(rand() * 1e4) / 100;
    case "bool": return rand() < 0.5;
    case "datetime": return new Date(Date.parse(NOW) - Math.floor(rand() * 50) * 60_000).toISOString();
    case "guid": return "3f2504e0-4f89-11d3-9a0c-0305e82c330" + (i % 10);
    case "timespan": return "00:05:00";
    default: return rand() < 0.5 ? { key: pick(literals.length ? literals : ["x"]) } : [];
  }
}

function sampleRows(t: TableSchema, literals: string[], count: number): Record<string, unknown>[] {
  const cols = t.columns.filter((col) => !col.name.startsWith("_")).slice(0, 24);
  return Array.from({ length: count }, (_, i) => {
    const row: Record<string, unknown> = {};
    for (const col of cols) row[col.name] = value(col.type, literals, i);
    if (t.columns.some((x) => x.name === "TimeGenerated")) row.TimeGenerated = new Date(Date.parse(NOW) - (5 + i * 7) * 60_000).toISOString();
    return row;
  });
}

let distinct = 0;

function generate(dir: string, schemas: SchemaSet): number {
  const all = candidates(schemas);
  distinct = Math.min(all.length, RULES);
  if (all.length === 0) throw new Error("no corpus rule runs on the engine");
  let cases = 0;
  for (let r = 0; r < RULES; r++) {
    const c = all[r % all.length]!;
    const data = parseContent(c.yaml, c.name).item!.data;
    // Repeats of a rule get their own id and name (200 distinct content items).
    data.id = `00000000-0000-4000-9000-${r.toString(16).padStart(12, "0")}`;
    data.name = `${String(data.name)} #${r}`;
    const sub = c.analytics ? "analytics" : "hunting";
    mkdirSync(join(dir, sub), { recursive: true });
    writeFileSync(join(dir, sub, `rule-${r}.yaml`), stringify(data, { lineWidth: 0 }));
    const testCases = [];
    for (let k = 0; k < CASES; k++) {
      const tables: Record<string, unknown[]> = {};
      for (const t of c.tables) {
        tables[t.name] = sampleRows(t, c.literals, k + 1).map((row, i) => ("TimeGenerated" in row ? { ...row, TimeGenerated: `now-${5 + i * 7}m` } : row));
      }
      testCases.push({ name: `generated case ${k + 1}`, kind: k % 2 ? "negative" : "positive", tables });
      cases++;
    }
    writeFileSync(join(dir, sub, `rule-${r}.test.yaml`), stringify({ now: NOW, cases: testCases }, { lineWidth: 0 }));
  }
  return cases;
}

/** Waits until no start-up snapshot build is running in `dir` (src/testing/snapshot.ts: a `.lock` file while it builds). */
async function snapshotBuilt(dir: string): Promise<void> {
  for (let waited = 0; waited < 180_000; waited += 250) {
    const busy = existsSync(dir) && readdirSync(dir).some((f) => f.endsWith(".lock"));
    if (!busy) return;
    await new Promise((r) => setTimeout(r, 250));
  }
}

function scacCommand(): string[] {
  // The built CLI when present (what users run), else through tsx.
  return existsSync(join(repo, "dist/cli.js")) ? [join(repo, "bin/scac.js")] : ["--import", "tsx", join(repo, "src/cli.ts")];
}

async function main(): Promise<void> {
  const { schemas } = await loadSchemas([]);
  const work = mkdtempSync(join(tmpdir(), "scac-bench-tests-"));
  const content = join(work, "content");
  const n = generate(content, schemas);
  const cmd = scacCommand();
  // CPU time of the child (user + sys) through /usr/bin/time when available: on a shared machine wall time
  // mostly measures the neighbours, CPU time measures scac.
  const timeBin = existsSync("/usr/bin/time") ? "/usr/bin/time" : undefined;
  // The Kusto.Language start-up snapshot cache (src/testing/snapshot.ts) lives in a directory of the benchmark's:
  // cold runs get a fresh empty one each (the headline: a first run), warm runs the one the fill run built.
  const warmCache = join(work, "cache-warm");
  const runScac = (extra: string[], cacheDir = warmCache) => {
    const args = [...cmd, "test", content, "--reporter", "json", "--coverage-gate", "off", ...extra];
    const env = { ...process.env, SCAC_CACHE_DIR: cacheDir };
    const t0 = performance.now();
    const r = timeBin
      ? spawnSync(timeBin, ["-f", "SCAC_CPU %U %S", process.execPath, ...args], { cwd: repo, encoding: "utf8", maxBuffer: 64 << 20, env })
      : spawnSync(process.execPath, args, { cwd: repo, encoding: "utf8", maxBuffer: 64 << 20, env });
    const ms = performance.now() - t0;
    const cpu = /SCAC_CPU ([\d.]+) ([\d.]+)/.exec(r.stderr ?? "");
    const cpuMs = cpu ? Math.round((Number(cpu[1]) + Number(cpu[2])) * 1000) : undefined;
    let summary: { passed: number; failed: number; errors: number; total: number } | undefined;
    try {
      summary = JSON.parse(r.stdout).summary;
    } catch {
      summary = undefined;
    }
    if (!summary) throw new Error(`scac test produced no JSON report (exit ${r.status}): ${r.stderr.slice(0, 2000)}`);
    return { ms, cpuMs, summary, code: r.status, stderr: r.stderr };
  };
  const fill = runScac(["--update"]);
  await snapshotBuilt(warmCache);
  const loadBefore = os.loadavg()[0]!;
  // Cold cache (default options), warm cache (snapshot ready) and two threads (cold), alternating.
  const measured: Record<string, ReturnType<typeof runScac>[]> = { default: [], warm: [], twoThreads: [] };
  for (let i = 0; i < RUNS; i++) {
    for (const [m, extra] of [["default", []], ["twoThreads", ["--workers", "2"]]] as const) {
      const cold = join(work, `cache-cold-${m}-${i}`);
      measured[m]!.push(runScac([...extra], cold));
      await snapshotBuilt(cold); // the background build after a cold run must not slow the next measurement
    }
    measured.warm!.push(runScac([]));
  }
  const stats = (runs: ReturnType<typeof runScac>[]) => {
    const walls = runs.map((r) => r.ms).sort((a, b) => a - b);
    const cpus = runs.map((r) => r.cpuMs).filter((x): x is number => x !== undefined).sort((a, b) => a - b);
    return {
      wallMs: { median: Math.round(walls[Math.floor(walls.length / 2)]!), min: Math.round(walls[0]!), runs: walls.map(Math.round) },
      cpuMs: cpus.length ? { median: cpus[Math.floor(cpus.length / 2)]!, runs: cpus } : null,
      outcome: runs[runs.length - 1]!.summary,
    };
  };
  const def = stats(measured.default!);
  const warm = stats(measured.warm!);
  const two = stats(measured.twoThreads!);
  const result = {
    benchmark: "contenttests",
    description: `scac test end to end (fresh process) over ${RULES} corpus rules (${distinct} distinct queries) × ${CASES} cases`,
    cli: cmd.includes("--import") ? "tsx src/cli.ts" : "node bin/scac.js (dist)",
    rules: RULES,
    distinctQueries: distinct,
    cases: n,
    fillWithUpdateMs: Math.round(fill.ms),
    default: def,
    warmCache: warm,
    twoThreads: two,
    perCaseMs: Math.round((def.wallMs.median / n) * 100) / 100,
    targetMs: 10_000,
    withinTarget: def.wallMs.median <= 10_000,
    machine: { cpus: os.cpus().length, node: process.version, loadAverage1mBefore: Math.round(loadBefore * 10) / 10, loadAverageAtEnd: os.loadavg().map((x) => Math.round(x * 10) / 10) },
    date: new Date().toISOString(),
  };
  mkdirSync(join(here, "results"), { recursive: true });
  writeFileSync(join(here, "results/contenttests.json"), JSON.stringify(result, null, 2) + "\n");
  const fmt = (x: ReturnType<typeof stats>) => `wall ${(x.wallMs.median / 1000).toFixed(2)} s${x.cpuMs ? ` (CPU ${(x.cpuMs.median / 1000).toFixed(2)} s)` : ""}`;
  console.log(`content tests: ${n} cases (${RULES} rules), median of ${RUNS}: cold cache ${fmt(def)}, warm cache (start-up snapshot) ${fmt(warm)}, --workers 2 ${fmt(two)}; target ≤ 10 s wall: ${result.withinTarget ? "met" : "NOT met"} (load average ${result.machine.loadAverageAtEnd.join(" ")} on ${result.machine.cpus} CPUs)`);
  console.log(`outcome: ${JSON.stringify(def.outcome)}`);
  if (process.env.SCAC_BENCH_KEEP) console.log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}

await main();
