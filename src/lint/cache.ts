// On-disk lint cache, two levels:
//   - KQL analysis facts (the expensive part: ~25 ms per query), keyed by query text, parameter declarations,
//     schema-set hash and facts version — survives edits to a file's metadata;
//   - whole-file item-level results, keyed by path, file text, schema hash, configuration and scac version —
//     an unchanged file is not even parsed again.
// One JSON file; entries not used by a run are dropped when it is saved, so the cache tracks the repository
// instead of growing forever.
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { CachedFileResult } from "./engine.js";
import type { KqlFacts } from "./facts.js";

const FILE = "lint-cache.json";
const FORMAT = 2;

export class FactsCache {
  private entries = new Map<string, KqlFacts>();
  private used = new Map<string, KqlFacts>();
  /** r: the file's result; f: the facts key its query used (kept alive while the file result is used). */
  private files = new Map<string, { r: CachedFileResult; f?: string }>();
  private usedFiles = new Map<string, { r: CachedFileResult; f?: string }>();
  private dirty = false;
  hits = 0;
  misses = 0;
  fileHits = 0;

  private constructor(private readonly dir: string) {}

  static async open(dir: string): Promise<FactsCache> {
    const c = new FactsCache(dir);
    try {
      const data = JSON.parse(await readFile(join(dir, FILE), "utf8")) as { version?: number; entries?: Record<string, KqlFacts>; files?: Record<string, { r: CachedFileResult; f?: string }> };
      if (data.version === FORMAT) {
        for (const [k, v] of Object.entries(data.entries ?? {})) c.entries.set(k, v);
        for (const [k, v] of Object.entries(data.files ?? {})) c.files.set(k, v);
      }
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

  getFile(key: string): CachedFileResult | undefined {
    const v = this.files.get(key);
    if (!v) return undefined;
    this.usedFiles.set(key, v);
    this.fileHits++;
    const facts = v.f ? this.entries.get(v.f) : undefined;
    if (facts) this.used.set(v.f!, facts);
    return v.r;
  }

  setFile(key: string, result: CachedFileResult, factsKey?: string): void {
    this.usedFiles.set(key, factsKey ? { r: result, f: factsKey } : { r: result });
    this.dirty = true;
  }

  async save(): Promise<void> {
    if (!this.dirty && this.used.size === this.entries.size && this.usedFiles.size === this.files.size) return;
    await mkdir(this.dir, { recursive: true });
    const tmp = join(this.dir, `${FILE}.${process.pid}.tmp`);
    await writeFile(tmp, JSON.stringify({ version: FORMAT, entries: Object.fromEntries(this.used), files: Object.fromEntries(this.usedFiles) }));
    await rename(tmp, join(this.dir, FILE));
  }
}
