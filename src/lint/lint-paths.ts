// Library entry point: lint content files under the given paths against built-in + user schemas.
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { join, relative, resolve } from "node:path";
import { MAX_CONTENT_BYTES, parseContent } from "../content/loader.js";
import { sortDiagnostics, type Diagnostic } from "../diagnostics.js";
import { loadSchemas } from "../schemas/loader.js";
import type { SchemaSet } from "../schemas/model.js";
import { FactsCache } from "./cache.js";
import { defaultConfig, DEFAULT_CONFIG_FILE, loadConfig, type LintConfig } from "./config.js";
import { runItemRules, runRules, type LoadedFile } from "./engine.js";
import { computeFacts, factsKey, FACTS_VERSION, type KqlFacts } from "./facts.js";
import { discoverContent } from "./files.js";

export interface LintOptions {
  cwd?: string;
  /** Extra schema directories (content/schemas is always included when it exists). */
  schemas?: string[];
  /** Config file; default `.scaclint.yaml` in cwd when present. `false` ignores any config file. */
  config?: string | false;
  /** Cache KQL analysis in this directory (e.g. `.scac-cache`); off when undefined. */
  cacheDir?: string;
  /** Report only these files (absolute or cwd-relative); all files are still loaded for repository rules. */
  only?: string[];
  /** Analyse queries in worker threads (count); 0/undefined = in this thread. */
  workers?: number;
}

export interface LintResult {
  /** Number of content files examined. */
  files: number;
  diagnostics: Diagnostic[];
  /** True when a path or schema directory could not be read (exit code 2). */
  ioError: boolean;
  /** The configuration used (so callers can apply it to findings they add). */
  config: LintConfig;
  stats: { analysed: number; cacheHits: number; fileCacheHits: number; ms: number };
}

/** Bump when rule behaviour changes so cached per-file results from an older scac are not reused. */
const RESULTS_VERSION = `scac-0.1.0/${FACTS_VERSION}/1`;

export const DEFAULT_CONTENT_DIR = "content";
export const DEFAULT_SCHEMA_DIR = join("content", "schemas");

export async function lintPaths(paths: readonly string[], options: LintOptions = {}): Promise<LintResult> {
  const t0 = performance.now();
  const cwd = resolve(options.cwd ?? process.cwd());
  const config: LintConfig = options.config === false
    ? defaultConfig(cwd)
    : options.config
      ? await loadConfig(resolve(cwd, options.config))
      : existsSync(join(cwd, DEFAULT_CONFIG_FILE)) ? await loadConfig(join(cwd, DEFAULT_CONFIG_FILE)) : defaultConfig(cwd);
  const schemaDirs = [
    ...(existsSync(join(cwd, DEFAULT_SCHEMA_DIR)) ? [join(cwd, DEFAULT_SCHEMA_DIR)] : []),
    ...config.schemas,
    ...(options.schemas ?? []).map((s) => resolve(cwd, s)),
  ];
  const loaded = await loadSchemas(schemaDirs);
  const display = (abs: string) => {
    const r = relative(cwd, abs);
    return r === "" ? abs : r;
  };
  const schemaDiags = loaded.diagnostics.map((d) => (d.file && d.file !== "<built-in>" ? { ...d, file: display(d.file) } : d));
  const targets = paths.length > 0 ? paths : [DEFAULT_CONTENT_DIR];
  const found = await discoverContent(targets, { cwd, exclude: schemaDirs, ignore: config.ignore, ignoreBase: config.baseDir });

  const cache = options.cacheDir ? await FactsCache.open(resolve(cwd, options.cacheDir)) : undefined;
  const fileKey = (file: string, text: string) => createHash("sha256").update(`${RESULTS_VERSION}\0${loaded.hash}\0${config.hash}\0${file}\0${text}`).digest("hex");
  const files: LoadedFile[] = await Promise.all(found.files.map(async (abs): Promise<LoadedFile> => {
    const file = display(abs);
    try {
      const size = (await stat(abs)).size;
      if (size > MAX_CONTENT_BYTES) return { file, text: "", diagnostics: [{ file, line: 0, column: 0, rule: "file-too-large", severity: "error", message: `file is ${size} bytes; content files are limited to ${MAX_CONTENT_BYTES}` }] };
      let text = await readFile(abs, "utf8");
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      const cached = cache?.getFile(fileKey(file, text));
      if (cached) return { file, text, diagnostics: [], cached };
      const r = parseContent(text, file);
      return { file, text, item: r.item, diagnostics: r.diagnostics };
    } catch (e) {
      return { file, text: "", diagnostics: [{ file, line: 0, column: 0, rule: "io", severity: "error", message: `cannot read file: ${(e as Error).message}` }] };
    }
  }));

  const only = options.only ? new Set(options.only.map((p) => display(resolve(cwd, p)))) : undefined;
  const analysed = await attachFacts(files.filter((f) => !f.cached && f.item && f.item.query.trim() !== "" && (!only || only.has(f.file))), loaded.schemas, loaded.hash, schemaDirs, cache, options.workers ?? 0);
  if (cache) {
    for (const f of files) {
      // Only fully analysed files are cached (with --changed, others were checked without KQL facts).
      if (f.cached || !f.text || (only && !only.has(f.file))) continue;
      f.cached = runItemRules(f, loaded.schemas, config);
      cache.setFile(fileKey(f.file, f.text), f.cached, f.item?.query.trim() ? factsKey(f.item.query, f.item.parameters, loaded.hash) : undefined);
    }
    await cache.save().catch(() => undefined); // a read-only checkout must still lint
  }

  let diagnostics = [...runRules(files, loaded.schemas, config), ...found.diagnostics, ...schemaDiags];
  if (only) diagnostics = diagnostics.filter((d) => only.has(d.file) || !files.some((f) => f.file === d.file));
  const ioError = [...found.diagnostics, ...schemaDiags].some((d) => d.rule === "io");
  return {
    files: only ? files.filter((f) => only.has(f.file)).length : files.length,
    diagnostics: sortDiagnostics(diagnostics),
    ioError,
    config,
    stats: { analysed, cacheHits: cache?.hits ?? 0, fileCacheHits: cache?.fileHits ?? 0, ms: performance.now() - t0 },
  };
}

/** Fills `facts` for each file from the cache or by analysis; returns how many were analysed. */
async function attachFacts(files: LoadedFile[], schemas: SchemaSet, schemaHash: string, schemaDirs: string[], cache: FactsCache | undefined, workers: number): Promise<number> {
  const todo: { f: LoadedFile; key: string }[] = [];
  for (const f of files) {
    const item = f.item!;
    const key = factsKey(item.query, item.parameters, schemaHash);
    const hit = cache?.get(key);
    if (hit) f.facts = hit;
    else todo.push({ f, key });
  }
  let results: KqlFacts[];
  if (workers > 1 && todo.length >= workers * 4) {
    const { analyseInWorkers } = await import("./workers.js");
    results = await analyseInWorkers(todo.map(({ f }) => ({ query: f.item!.query, parameters: f.item!.parameters })), schemaDirs, workers);
  } else {
    results = todo.map(({ f }) => computeFacts(f.item!.query, f.item!.parameters, schemas));
  }
  todo.forEach(({ f, key }, i) => {
    f.facts = results[i];
    cache?.set(key, results[i]!);
  });
  return todo.length;
}
