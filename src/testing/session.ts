// One `scac test` run over a set of paths: discovery (optionally only what git says changed), every case run —
// spread over worker threads when there is enough work —, `--update` write-back for new cases, and the coverage
// gate. The watch loop re-runs sessions.
import { statSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { resolve } from "node:path";
import { Worker } from "node:worker_threads";
import type { Diagnostic } from "../diagnostics.js";
import { sortDiagnostics } from "../diagnostics.js";
import { observedExpectation } from "./expect.js";
import { loadTestFile } from "./load.js";
import type { CaseResult } from "./model.js";
import type { RunSummary } from "./reporters.js";
import { warmUp } from "../kql/frontend.js";
import { TestFilePreloader, shouldPreload } from "./preload.js";
import { coverageGate, createContext, defaultSchemaDirs, discoverContentFiles, discoverTestFiles, displayPath, fileInfo, prepareFile, type CoverageOptions, type FileInfo, type RunnerContext } from "./runner.js";

export interface SessionOptions {
  paths: string[];
  schemaDirs?: string[];
  coverage?: CoverageOptions;
  update?: boolean;
  /** Only test files whose test file, content file or fixtures changed (set of absolute paths). */
  onlyChanged?: Set<string>;
  /** Restrict to these test files (absolute), e.g. the affected files in watch mode. */
  onlyTestFiles?: Set<string>;
  /** Worker threads (including the main thread); default: automatic (1 for small runs). */
  workers?: number;
  /** Query engine (default: local). A remote engine (scac test --engine kusto) runs on the main thread only. */
  engine?: RunnerContext["engine"];
}

export interface SessionResult extends RunSummary {
  files: FileInfo[];
  updatedFiles: string[];
}

export interface FilesResult {
  results: CaseResult[];
  updatedFiles: string[];
  files: FileInfo[];
}

/** Below this many test files a run stays on one thread (a worker costs a Kusto.Language start-up, ~2 s CPU). */
const PARALLEL_MIN_FILES = 24;

/**
 * Threads for a run when not given: one per CPU (at most 4) for large runs on machines with ≥ 4 CPUs. On two
 * CPUs the second start-up and the contention cost more than they save (measured: bench/contenttests).
 */
function autoWorkers(files: number): number {
  const cpus = availableParallelism();
  return files >= PARALLEL_MIN_FILES && cpus >= 4 ? Math.min(cpus, 4) : 1;
}

/** Prepares and runs test files in order; with `update`, writes observed results into cases without expect:. */
export async function runFiles(ctx: RunnerContext, testFiles: string[], update: boolean, preloader?: TestFilePreloader): Promise<FilesResult> {
  const out: FilesResult = { results: [], updatedFiles: [], files: [] };
  for (const f of testFiles) {
    const p = await prepareFile(ctx, f, await preloader?.get(f));
    out.files.push(fileInfo(p));
    let updated = false;
    for (const c of p.cases) {
      const { execution, ...result } = await c.run();
      if (update && c.testCase && !c.testCase.expect && execution && p.loaded.doc) {
        p.loaded.doc.setIn(["cases", c.testCase.index, "expect"], p.loaded.doc.createNode(observedExpectation(execution.result, execution.simulation)));
        updated = true;
        result.status = "pass";
        result.message = undefined;
      }
      out.results.push(result);
    }
    if (updated && p.loaded.doc) {
      writeFileSync(resolve(p.testFile), p.loaded.doc.toString({ lineWidth: 0 }));
      out.updatedFiles.push(p.testFile);
    }
  }
  return out;
}

export async function runSession(opts: SessionOptions): Promise<SessionResult> {
  const t0 = performance.now();
  const schemaDirs = opts.schemaDirs ?? defaultSchemaDirs();
  const { ctx, diagnostics: schemaDiags } = await createContext(schemaDirs);
  ctx.engine = opts.engine;
  const diagnostics: Diagnostic[] = [...schemaDiags];
  let testFiles = await discoverTestFiles(opts.paths);
  if (opts.onlyTestFiles) testFiles = testFiles.filter((f) => opts.onlyTestFiles!.has(resolve(f)));
  if (opts.onlyChanged) {
    const ch = opts.onlyChanged;
    testFiles = testFiles.filter((f) => {
      if (ch.has(resolve(f))) return true;
      const tf = loadTestFile(f).testFile;
      return tf !== undefined && (ch.has(resolve(tf.contentFile)) || tf.fixtureFiles.some((x) => ch.has(x)));
    });
  }

  const workers = opts.engine ? 1 : Math.max(1, Math.min(opts.workers ?? autoWorkers(testFiles.length), testFiles.length));
  let run: FilesResult;
  if (workers > 1) {
    run = await runParallel(ctx, testFiles, workers, schemaDirs, opts.update ?? false);
  } else if (!opts.engine && !opts.update && shouldPreload(testFiles.length)) {
    // Test files load on a worker while this thread starts Kusto.Language (--update needs the YAML documents here).
    const preloader = new TestFilePreloader(testFiles.map((f) => [f, displayPath(f)]), startWorker);
    try {
      warmUp(ctx.schemas);
      run = await runFiles(ctx, testFiles, false, preloader);
    } finally {
      preloader.close();
    }
  } else {
    run = await runFiles(ctx, testFiles, opts.update ?? false);
  }

  // The gate covers the content under the paths; with --changed (or in watch re-runs), only the content whose
  // tests were selected or that changed itself.
  let contentFiles = await discoverContentFiles(opts.paths);
  if (opts.onlyChanged || opts.onlyTestFiles) {
    const keep = new Set(run.files.flatMap((f) => (f.contentFile ? [f.contentFile] : [])));
    contentFiles = contentFiles.filter((f) => keep.has(f) || opts.onlyChanged?.has(f));
  }
  diagnostics.push(...(await coverageGate(ctx, contentFiles, run.files, opts.coverage)));
  return { ...run, diagnostics: sortDiagnostics(diagnostics), durationMs: performance.now() - t0 };
}

/**
 * Splits the files into `n` shards of similar size (bytes, a proxy for cases and events); the main thread runs
 * one shard while worker threads run the others. Results come back in the original file order.
 */
async function runParallel(ctx: RunnerContext, files: string[], n: number, schemaDirs: string[], update: boolean): Promise<FilesResult> {
  const shards: { files: number[]; bytes: number }[] = Array.from({ length: n }, () => ({ files: [], bytes: 0 }));
  const sizes = files.map((f) => { try { return statSync(f).size; } catch { return 0; } });
  [...files.keys()].sort((a, b) => sizes[b]! - sizes[a]!).forEach((i) => {
    const s = shards.reduce((m, x) => (x.bytes < m.bytes ? x : m));
    s.files.push(i);
    s.bytes += sizes[i]!;
  });
  for (const s of shards) s.files.sort((a, b) => a - b);
  const pending = shards.slice(1).map((s) => new Promise<FilesResult>((res, rej) => {
    const w = startWorker("worker", { files: s.files.map((i) => files[i]!), schemaDirs, update, cwd: process.cwd() });
    w.once("message", (m: FilesResult) => { res(m); void w.terminate(); });
    w.once("error", rej);
    w.once("exit", (code) => { if (code !== 0) rej(new Error(`content-test worker exited with code ${code}`)); });
  }));
  const mine = await runFiles(ctx, shards[0]!.files.map((i) => files[i]!), update);
  const parts = [mine, ...(await Promise.all(pending))];
  // Reassemble in file order: each shard's files are in order; map file → its results.
  const byFile = new Map<string, { results: CaseResult[]; info: FileInfo }>();
  for (const part of parts) {
    for (const info of part.files) byFile.set(info.absPath, { results: [], info });
    for (const r of part.results) byFile.get(resolve(r.testFile))?.results.push(r);
  }
  const out: FilesResult = { results: [], updatedFiles: parts.flatMap((p) => p.updatedFiles), files: [] };
  for (const f of files) {
    const e = byFile.get(resolve(f));
    if (!e) continue;
    out.files.push(e.info);
    out.results.push(...e.results);
  }
  return out;
}

/** A worker module of this directory; from TypeScript sources (tsx, development) it first registers tsx in the new thread. */
function startWorker(name: string, workerData: unknown): Worker {
  if (!import.meta.url.endsWith(".ts")) return new Worker(new URL(`./${name}.js`, import.meta.url), { workerData });
  const api = import.meta.resolve("tsx/esm/api");
  const entry = new URL(`./${name}.ts`, import.meta.url).href;
  const boot = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(boot, { eval: true, workerData });
}

export { changedFiles } from "../git.js";
