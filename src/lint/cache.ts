// On-disk cache of KQL analysis facts (the expensive part of lint: ~25 ms per query), keyed by query text,
// parameter declarations, schema-set hash and facts version. One JSON file; entries not used by a run are
// dropped when it is saved, so the cache tracks the repository instead of growing forever.
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { KqlFacts } from "./facts.js";

const FILE = "lint-kql-facts.json";

export class FactsCache {
  private entries = new Map<string, KqlFacts>();
  private used = new Map<string, KqlFacts>();
  private dirty = false;
  hits = 0;
  misses = 0;

  private constructor(private readonly dir: string) {}

  static async open(dir: string): Promise<FactsCache> {
    const c = new FactsCache(dir);
    try {
      const data = JSON.parse(await readFile(join(dir, FILE), "utf8")) as { entries?: Record<string, KqlFacts> };
      for (const [k, v] of Object.entries(data.entries ?? {})) c.entries.set(k, v);
    } catch {
      // Missing or corrupt cache: start empty (the cache is an optimisation, never a source of truth).
    }
    return c;
  }

  get(key: string): KqlFacts | undefined {
    const v = this.entries.get(key);
    if (v) { this.used.set(key, v); this.hits++; } else this.misses++;
    return v;
  }

  set(key: string, facts: KqlFacts): void {
    this.used.set(key, facts);
    this.dirty = true;
  }

  async save(): Promise<void> {
    if (!this.dirty && this.used.size === this.entries.size) return;
    await mkdir(this.dir, { recursive: true });
    const tmp = join(this.dir, `${FILE}.${process.pid}.tmp`);
    await writeFile(tmp, JSON.stringify({ version: 1, entries: Object.fromEntries(this.used) }));
    await rename(tmp, join(this.dir, FILE));
  }
}
