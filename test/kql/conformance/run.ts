// Runs one conformance case through the engine and classifies the outcome. Shared by the vitest runner and the
// known-gaps refresher so both judge a case the same way.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { QueryResult, RunOptions } from "../../../src/kql/api.js";
import type { KqlType } from "../../../src/kql/values.js";
import type { ConformanceCase } from "./cases.js";
import { compareJson, compareResult } from "./compare.js";
import { valueModelViolations } from "./value-model.js";

export type Outcome = "passed" | "unsupported" | "wrong" | "error";

export interface CaseResult {
  outcome: Outcome;
  /** Empty when passed; otherwise what went wrong (error message or result diff). */
  message: string;
}

type RunQuery = (kql: string, opts?: RunOptions) => QueryResult | Promise<QueryResult>;

let engine: Promise<RunQuery> | undefined;

/**
 * The engine is imported lazily by path so this suite type-checks and reports clearly while src/kql/engine.ts is
 * still being written by another engineer.
 */
export function loadEngine(): Promise<RunQuery> {
  engine ??= (async () => {
    const url = new URL("../../../src/kql/engine.ts", import.meta.url);
    const mod = (await import(/* @vite-ignore */ fileURLToPath(url))) as { runQuery?: RunQuery };
    if (typeof mod.runQuery !== "function") throw new Error("src/kql/engine.ts does not export runQuery");
    return mod.runQuery;
  })();
  return engine;
}

function errorKind(e: unknown): string | undefined {
  if (e && typeof e === "object" && (e as { name?: string }).name === "KqlError") return String((e as { kind?: string }).kind);
  return undefined;
}

function describeError(e: unknown): string {
  const kind = errorKind(e);
  const msg = e instanceof Error ? e.message : String(e);
  if (kind) return `${kind}: ${msg}`;
  // Not a KqlError: the engine crashed. Keep the first stack frame so the gap is actionable.
  const frame = e instanceof Error ? (e.stack ?? "").split("\n").find((l) => l.includes("/src/"))?.trim() : undefined;
  return `crash ${e instanceof Error ? e.name : typeof e}: ${msg}${frame ? ` (${frame})` : ""}`;
}

export async function runCase(c: ConformanceCase): Promise<CaseResult> {
  let runQuery: RunQuery;
  try {
    runQuery = await loadEngine();
  } catch (e) {
    return { outcome: "error", message: `engine not loadable: ${e instanceof Error ? e.message : String(e)}` };
  }
  const opts: RunOptions = c.now ? { now: c.now } : {};
  let result: QueryResult;
  try {
    result = await runQuery(c.query, opts);
  } catch (e) {
    const kind = errorKind(e);
    if ("error" in c.expect) {
      if (kind === c.expect.error) return { outcome: "passed", message: "" };
      if (kind === "unsupported") return { outcome: "unsupported", message: describeError(e) };
      return { outcome: "error", message: `expected ${c.expect.error} error, got ${describeError(e)}` };
    }
    return { outcome: kind === "unsupported" ? "unsupported" : "error", message: describeError(e) };
  }
  if ("error" in c.expect) {
    return { outcome: "wrong", message: `expected a ${c.expect.error} error, got ${result.rows.length} row(s)` };
  }
  const cmp = compareResult(result, c.expect, c.ordered, c.tolerance);
  if (!cmp.ok) return { outcome: "wrong", message: cmp.message };
  const bad = valueModelViolations(result);
  return bad.length ? { outcome: "wrong", message: `value model: ${bad.join("; ")}` } : { outcome: "passed", message: "" };
}

// ---------- the same cases through `scac query --batch` ----------

interface BatchLine { id: string; columns?: { name: string; type: KqlType }[]; rows?: unknown[][]; error?: { kind: string; message: string } }

/**
 * Runs every case through the CLI's batch mode in one child process (the conformance tooling path of issue 3) and
 * resolves with each output line by case name. Started early, it runs on the other core while vitest runs the
 * in-process cases.
 */
export function runBatchCli(cases: ConformanceCase[]): Promise<Map<string, BatchLine>> {
  const repo = fileURLToPath(new URL("../../../", import.meta.url));
  const dir = mkdtempSync(path.join(tmpdir(), "kql-conformance-"));
  const file = path.join(dir, "cases.jsonl");
  writeFileSync(file, cases.map((c) => JSON.stringify({ id: c.name, query: c.query, ...(c.now ? { now: c.now } : {}) })).join("\n") + "\n");
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ["--import", "tsx", "src/cli.ts", "query", "--batch", file], { cwd: repo, maxBuffer: 256 * 1024 * 1024 },
      (err, stdout, stderr) => {
        rmSync(dir, { recursive: true, force: true });
        const lines = stdout.split("\n").filter((l) => l.startsWith("{"));
        if (err && lines.length === 0) return reject(new Error(`scac query --batch failed: ${stderr || err.message}`));
        const out = new Map<string, BatchLine>();
        for (const l of lines) {
          const b = JSON.parse(l) as BatchLine;
          out.set(String(b.id), b);
        }
        resolve(out);
      });
  });
}

/** The verdict for one batch output line, judged exactly like an in-process result. */
export function judgeBatchLine(c: ConformanceCase, b: BatchLine | undefined): CaseResult {
  if (!b) return { outcome: "error", message: "no output line" };
  if (b.error) {
    const kind = b.error.kind;
    if ("error" in c.expect) {
      if (kind === c.expect.error) return { outcome: "passed", message: "" };
      return { outcome: kind === "unsupported" ? "unsupported" : "error", message: `${kind}: ${b.error.message}` };
    }
    return { outcome: kind === "unsupported" ? "unsupported" : "error", message: `${kind}: ${b.error.message}` };
  }
  if ("error" in c.expect) return { outcome: "wrong", message: `expected a ${c.expect.error} error, got ${b.rows?.length ?? 0} row(s)` };
  const cmp = compareJson(b.columns ?? [], b.rows ?? [], c.expect, c.ordered, c.tolerance);
  return cmp.ok ? { outcome: "passed", message: "" } : { outcome: "wrong", message: cmp.message };
}
