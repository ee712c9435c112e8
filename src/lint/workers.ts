// Query analysis in worker threads. Each worker loads Kusto.Language and the same schema directories once,
// then analyses a share of the queries; results are plain KqlFacts.
import { Worker } from "node:worker_threads";
import type { ParameterDecl } from "../content/model.js";
import type { KqlFacts } from "./facts.js";

export interface Job { query: string; parameters: ParameterDecl[] }

/** Compiled: dist/lint/worker-main.js. From source (tsx), a bootstrap registers tsx in the worker first. */
function startWorker(workerData: unknown): Worker {
  if (!import.meta.url.endsWith(".ts")) return new Worker(new URL("./worker-main.js", import.meta.url), { workerData });
  const api = import.meta.resolve("tsx/esm/api");
  const main = new URL("./worker-main.ts", import.meta.url).href;
  const boot = `(async () => { (await import(${JSON.stringify(api)})).register(); await import(${JSON.stringify(main)}); })()`;
  return new Worker(boot, { eval: true, workerData });
}

export async function analyseInWorkers(jobs: Job[], schemaDirs: string[], count: number): Promise<KqlFacts[]> {
  const results: KqlFacts[] = new Array(jobs.length);
  const shares: number[][] = Array.from({ length: count }, () => []);
  // Round-robin keeps long and short queries spread evenly.
  jobs.forEach((_, i) => shares[i % count]!.push(i));
  await Promise.all(shares.map((idx) => new Promise<void>((resolveP, reject) => {
    if (idx.length === 0) return resolveP();
    const w = startWorker({ schemaDirs, jobs: idx.map((i) => jobs[i]) });
    w.once("message", (facts: KqlFacts[]) => {
      facts.forEach((f, k) => { results[idx[k]!] = f; });
      resolveP();
    });
    w.once("error", reject);
    w.once("exit", (code) => { if (code !== 0) reject(new Error(`lint worker exited with code ${code}`)); });
  })));
  return results;
}
