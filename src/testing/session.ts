// One `scac test` run over a set of paths: discovery (optionally only what git says changed), every case run,
// `--update` write-back for new cases, and the coverage gate. The watch loop re-runs sessions.
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import type { Diagnostic } from "../diagnostics.js";
import { sortDiagnostics } from "../diagnostics.js";
import { observedExpectation } from "./expect.js";
import type { CaseResult } from "./model.js";
import type { RunSummary } from "./reporters.js";
import { coverageGate, createContext, defaultSchemaDirs, discoverContentFiles, discoverTestFiles, prepareFile, type CoverageOptions, type PreparedFile } from "./runner.js";

export interface SessionOptions {
  paths: string[];
  schemaDirs?: string[];
  coverage?: CoverageOptions;
  update?: boolean;
  /** Only test files whose test file, content file or fixtures changed (set of absolute paths). */
  onlyChanged?: Set<string>;
  /** Restrict to these test files (absolute), e.g. the affected files in watch mode. */
  onlyTestFiles?: Set<string>;
}

export interface SessionResult extends RunSummary {
  prepared: PreparedFile[];
  updatedFiles: string[];
}

export async function runSession(opts: SessionOptions): Promise<SessionResult> {
  const t0 = performance.now();
  const { ctx, diagnostics: schemaDiags } = await createContext(opts.schemaDirs ?? defaultSchemaDirs());
  const diagnostics: Diagnostic[] = [...schemaDiags];
  let testFiles = await discoverTestFiles(opts.paths);
  const prepared: PreparedFile[] = [];
  for (const f of testFiles) prepared.push(await prepareFile(ctx, f));
  let selected = prepared;
  if (opts.onlyChanged) {
    const ch = opts.onlyChanged;
    selected = prepared.filter((p) => ch.has(resolve(p.testFile)) || (p.loaded.testFile && (ch.has(p.loaded.testFile.contentFile) || p.loaded.testFile.fixtureFiles.some((f) => ch.has(f)))));
  }
  if (opts.onlyTestFiles) {
    const only = opts.onlyTestFiles;
    selected = selected.filter((p) => only.has(resolve(p.testFile)));
  }
  testFiles = selected.map((p) => p.testFile);

  const results: CaseResult[] = [];
  const updatedFiles: string[] = [];
  for (const p of selected) {
    let updated = false;
    for (const c of p.cases) {
      const r = await c.run();
      const { execution, ...result } = r;
      if (opts.update && c.testCase && !c.testCase.expect && execution && p.loaded.doc) {
        p.loaded.doc.setIn(["cases", c.testCase.index, "expect"], p.loaded.doc.createNode(observedExpectation(execution.result, execution.simulation)));
        updated = true;
        result.status = "pass";
        result.message = undefined;
      }
      results.push(result);
    }
    if (updated && p.loaded.doc) {
      writeFileSync(resolve(p.testFile), p.loaded.doc.toString({ lineWidth: 0 }));
      updatedFiles.push(p.testFile);
    }
  }

  // The gate covers the content under the paths; with --changed, only the content whose tests were selected
  // or that changed itself.
  let contentFiles = await discoverContentFiles(opts.paths);
  if (opts.onlyChanged || opts.onlyTestFiles) {
    const keep = new Set(selected.flatMap((p) => (p.loaded.testFile ? [p.loaded.testFile.contentFile] : [])));
    contentFiles = contentFiles.filter((f) => keep.has(f) || opts.onlyChanged?.has(f));
  }
  diagnostics.push(...(await coverageGate(ctx, contentFiles, prepared, opts.coverage)));
  return { results, diagnostics: sortDiagnostics(diagnostics), durationMs: performance.now() - t0, prepared: selected, updatedFiles };
}

/** Files changed relative to `base` (committed on this branch), plus uncommitted and untracked files. */
export function changedFiles(base: string | undefined, cwd = process.cwd()): Set<string> {
  const git = (args: string[]) => execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).split("\n").filter(Boolean);
  const root = git(["rev-parse", "--show-toplevel"])[0]!;
  const names = new Set<string>();
  if (base) for (const f of git(["diff", "--name-only", `${base}...HEAD`])) names.add(f);
  for (const f of git(["diff", "--name-only", "HEAD"])) names.add(f);
  for (const f of git(["ls-files", "--others", "--exclude-standard", "--full-name"])) names.add(f);
  return new Set([...names].map((f) => resolve(root, f)));
}
