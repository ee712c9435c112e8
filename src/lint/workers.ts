// Query analysis in worker threads. Each worker loads Kusto.Language and the same schema directories once,
// then analyses a share of the queries; results are plain KqlFacts.
import { Worker } from "node:worker_threads";
import type { ParameterDecl } from "../content/model.js";
import type { KqlFacts } from "./facts.js";

export interface Job { query: string; parameters: ParameterDecl[] }

function workerUrl(): URL {
  // Compiled: dist/lint/worker-main.js; from source under tsx: src/lint/worker-main.ts.
  return new URL(import.meta.url.endsWith(".ts") ? "./worker-main.ts" : "./worker-main.js", import.meta.url);
}

export async function analyseInWorkers(jobs: Job[], schemaDirs: string[], count: number): Promise<KqlFacts[]> {
  const results: KqlFacts[] = new Array(jobs.length);
  const shares: number[][] = Array.from({ length: count }, () => []);
  // Round-robin keeps long and short queries spread evenly.
  jobs.forEach((_, i) => shares[i % count]!.push(i));
  await Promise.all(shares.map((idx) => new Promise<void>((resolveP, reject) => {
    if (idx.length === 0) return resolveP();
    const w = new Worker(workerUrl(), { workerData: { schemaDirs, jobs: idx.map((i) => jobs[i]) } });
    w.once("message", (facts: KqlFacts[]) => {
      facts.forEach((f, k) => { results[idx[k]!] = f; });
      resolveP();
    });
    w.once("error", reject);
    w.once("exit", (code) => { if (code !== 0) reject(new Error(`lint worker exited with code ${code}`)); });
  })));
  return results;
}
