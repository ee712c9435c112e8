// Lint speed. Run alone: `node --import tsx bench/lint.bench.ts` (builds dist/ first if it is missing).
// Measures: cold start of `node bin/scac.js --help`; files/s linting the Azure-Sentinel corpus (in process,
// without and with worker threads); lint time vs bare Kusto.Language ParseAndAnalyze over the same queries;
// a cached re-run of the CLI on the unchanged corpus. Writes bench/results/lint.json.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { readFileSync } from "node:fs";
import { parseContent } from "../src/content/loader.js";
import { substitutePlaceholders } from "../src/lint/facts.js";
import { lintPaths } from "../src/lint/lint-paths.js";
import { globalsFor } from "../src/kql/frontend.js";
import { kusto } from "../src/kql/kusto.js";
import { loadSchemas } from "../src/schemas/loader.js";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const corpus = resolve(repo, "../shared/corpus/sentinel");
const schemaDirs = [resolve(repo, "../shared/corpus/schemas"), resolve(repo, "test/fixtures/lint/corpus-schemas")];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

function run(cmd: string, args: string[], cwd = repo): number {
  const t = performance.now();
  const r = spawnSync(cmd, args, { cwd, stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, GITHUB_ACTIONS: "", TF_BUILD: "" } });
  const ms = performance.now() - t;
  if (r.status !== 0 && r.status !== 1) throw new Error(`${cmd} ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  return ms;
}

// 1. Cold start of the built CLI.
// `npm run bench` builds first; run alone, build unless told not to (a stale dist/ would measure old code).
if (!process.env.SCAC_BENCH_NO_BUILD || !existsSync(join(repo, "dist/cli.js"))) spawnSync("npx", ["tsc", "-p", "tsconfig.build.json"], { cwd: repo, stdio: "inherit" });
const bin = join(repo, "bin/scac.js");
run(process.execPath, [bin, "--help"]);
const coldStartMs = median(Array.from({ length: 7 }, () => run(process.execPath, [bin, "--help"])));

// 2./3. In-process lint vs bare ParseAndAnalyze over the same queries (Kusto.Language loaded and warm in both).
const { schemas } = await loadSchemas(schemaDirs);
const K = kusto();
const globals = globalsFor(schemas);
const queries: string[] = [];
for (const sub of ["hunting", "detections"]) {
  for (const f of readdirSync(join(corpus, sub))) {
    const r = parseContent(readFileSync(join(corpus, sub, f), "utf8"), f);
    if (r.item?.query.trim()) queries.push(substitutePlaceholders(r.item.query));
  }
}
// Bare = what any Kusto.Language-based checker must do: load the schemas, build the GlobalState, ParseAndAnalyze.
const bare = async () => {
  const t = performance.now();
  const g = globalsFor((await loadSchemas(schemaDirs)).schemas);
  for (const q of queries) K.KustoCode.ParseAndAnalyze(q, g);
  return performance.now() - t;
};
const lintOnce = async (workers = 0) => {
  const t = performance.now();
  const r = await lintPaths([corpus], { cwd: repo, config: false, schemas: schemaDirs, workers });
  return { ms: performance.now() - t, files: r.files };
};
void globals;
await bare(); await lintOnce(); // warm-up (JIT, Kusto.Language's lazy tables)
const bareRuns: number[] = [], lintRuns: number[] = [];
let files = 0;
for (let i = 0; i < 5; i++) {
  bareRuns.push(await bare());
  const l = await lintOnce();
  lintRuns.push(l.ms);
  files = l.files;
}
const bareMs = median(bareRuns), lintMs = median(lintRuns);
const workerRuns: number[] = [];
for (let i = 0; i < 3; i++) workerRuns.push((await lintOnce(2)).ms);
const workersMs = median(workerRuns);

// 4. CLI cold run vs cached re-run on the unchanged corpus (separate processes, like CI).
const cacheCwd = mkdtempSync(join(tmpdir(), "scac-bench-"));
const cliArgs = [bin, "lint", corpus, ...schemaDirs.flatMap((s) => ["--schemas", s]), "--format", "json"];
const cliColdMs = run(process.execPath, cliArgs, cacheCwd);
// The same bare work in a fresh process (cold JIT, as a CI run sees it), using the compiled modules.
const bareScript = `
  const { readFileSync, readdirSync } = await import("node:fs");
  const { loadSchemas } = await import(${JSON.stringify(join(repo, "dist/schemas/loader.js"))});
  const { globalsFor } = await import(${JSON.stringify(join(repo, "dist/kql/frontend.js"))});
  const { kusto } = await import(${JSON.stringify(join(repo, "dist/kql/kusto.js"))});
  const { parse } = await import("yaml");
  const g = globalsFor((await loadSchemas(${JSON.stringify(schemaDirs)})).schemas);
  for (const sub of ["hunting", "detections"]) for (const f of readdirSync(${JSON.stringify(corpus)} + "/" + sub)) {
    let q; try { q = parse(readFileSync(${JSON.stringify(corpus)} + "/" + sub + "/" + f, "utf8"))?.query; } catch {}
    if (typeof q === "string" && q.trim()) kusto().KustoCode.ParseAndAnalyze(q, g);
  }`;
const bareColdMs = run(process.execPath, ["--input-type=module", "-e", bareScript], repo);
run(process.execPath, [...cliArgs, "--cache"], cacheCwd);
const cachedMs = median(Array.from({ length: 5 }, () => run(process.execPath, [...cliArgs, "--cache"], cacheCwd)));

const os = await import("node:os");
const result = {
  date: new Date().toISOString(),
  node: process.version,
  cpus: os.cpus().length,
  // The machine is shared: a load average above the core count inflates every figure below.
  loadAverage1m: round(os.loadavg()[0]!, 2),
  corpus: { files, queries: queries.length },
  coldStartHelpMs: round(coldStartMs),
  bareParseAndAnalyzeMs: round(bareMs),
  bareMsPerQuery: round(bareMs / queries.length, 2),
  lintInProcessMs: round(lintMs),
  lintToBareRatio: round(lintMs / bareMs, 2),
  filesPerSecond: round(files / (lintMs / 1000)),
  lintTwoWorkersMs: round(workersMs),
  filesPerSecondTwoWorkers: round(files / (workersMs / 1000)),
  cliColdRunMs: round(cliColdMs),
  bareColdProcessMs: round(bareColdMs),
  cliColdToBareColdRatio: round(cliColdMs / bareColdMs, 2),
  cliCachedRerunMs: round(cachedMs),
};
mkdirSync(join(repo, "bench/results"), { recursive: true });
writeFileSync(join(repo, "bench/results/lint.json"), JSON.stringify(result, null, 2) + "\n");
console.log(`scac --help cold start: ${result.coldStartHelpMs} ms (target < 300)`);
console.log(`corpus: ${files} files, ${queries.length} queries`);
console.log(`bare ParseAndAnalyze: ${result.bareParseAndAnalyzeMs} ms (${result.bareMsPerQuery} ms/query)`);
console.log(`lint in process: ${result.lintInProcessMs} ms = ${result.lintToBareRatio}x bare (target <= 1.25), ${result.filesPerSecond} files/s`);
console.log(`lint with 2 worker threads: ${result.lintTwoWorkersMs} ms, ${result.filesPerSecondTwoWorkers} files/s`);
console.log(`CLI: cold ${result.cliColdRunMs} ms = ${result.cliColdToBareColdRatio}x a bare cold process (${result.bareColdProcessMs} ms), cached re-run ${result.cliCachedRerunMs} ms (target < 1000)`);
console.log(`load average during the run: ${result.loadAverage1m} on ${result.cpus} cores`);
