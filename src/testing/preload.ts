// Overlaps the two start-up costs of a `scac test` run: a worker thread reads and validates the test files (YAML,
// JSON Schema, fixture files: ~1.7 s CPU for 200 files) while the main thread starts Kusto.Language (~2 s CPU),
// which must live on the thread that runs the queries. Results stream back per file; should the worker fail,
// the main thread loads the files itself.
import { availableParallelism } from "node:os";
import type { Worker } from "node:worker_threads";
import type { LoadedTestFile } from "./load.js";

/** Below this many test files the worker's own start-up (~0.2 s) is not worth it. */
export const PRELOAD_MIN_FILES = 8;

export function shouldPreload(files: number): boolean {
  return files >= PRELOAD_MIN_FILES && availableParallelism() >= 2;
}

export class TestFilePreloader {
  private readonly results = new Map<string, Promise<LoadedTestFile | undefined>>();
  private readonly resolvers = new Map<string, (v: LoadedTestFile | undefined) => void>();
  private readonly worker: Worker;

  /** `files`: [key (absolute path), path as displayed in diagnostics]. */
  constructor(files: [string, string][], start: (entry: string, data: unknown) => Worker) {
    for (const [key] of files) this.results.set(key, new Promise((res) => this.resolvers.set(key, res)));
    this.worker = start("preload-worker", { files });
    this.worker.on("message", (m: { key: string; loaded: LoadedTestFile }) => this.settle(m.key, m.loaded));
    // A failed worker leaves the remaining files to the main thread (undefined = load it yourself).
    const giveUp = () => { for (const key of [...this.resolvers.keys()]) this.settle(key, undefined); };
    this.worker.on("error", giveUp);
    this.worker.on("exit", giveUp);
  }

  private settle(key: string, v: LoadedTestFile | undefined): void {
    this.resolvers.get(key)?.(v);
    this.resolvers.delete(key);
  }

  /** The loaded file, or undefined when it was not preloaded (or the worker failed). */
  get(key: string): Promise<LoadedTestFile | undefined> {
    return this.results.get(key) ?? Promise.resolve(undefined);
  }

  close(): void {
    void this.worker.terminate();
  }
}
