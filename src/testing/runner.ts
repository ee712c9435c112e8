// The content-test runner core: discovery, per-case preparation and execution, the coverage gate. `scac test`
// and the vitest entry (test/content.test.ts) both use it, so a case passes or fails identically in both.
import { existsSync, statSync } from "node:fs";
import { basename, relative, resolve } from "node:path";
import { glob } from "tinyglobby";
import type { Diagnostic } from "../diagnostics.js";
import { loadContentFile } from "../content/loader.js";
import type { ContentItem } from "../content/model.js";
import type { SchemaSet } from "../schemas/model.js";
import { loadSchemas } from "../schemas/loader.js";
import { execute, ExecutionError, huntingRange, type Execution, type ExecuteInput } from "./execute.js";
import { checkExpectation } from "./expect.js";
import { loadTestFile, testFileFor, TEST_FILE_SUFFIX, type LoadedTestFile } from "./load.js";
import type { CaseKind, CaseResult, TestCase, TestFile } from "./model.js";
import { caseTables, parseNow } from "./tables.js";
import { caseWatchlists } from "./watchlists.js";

export interface RunnerContext {
  schemas: SchemaSet;
  /** Content items by absolute path (loaded once per run). */
  content: Map<string, Promise<{ item?: ContentItem; diagnostics: Diagnostic[] }>>;
  /** Query engine for every case (default: the local engine). */
  engine?: ExecuteInput["engine"];
}

/** Schema directories scac uses by default: `content/schemas` under the working directory when present. */
export function defaultSchemaDirs(cwd = process.cwd()): string[] {
  const d = resolve(cwd, "content/schemas");
  return existsSync(d) ? [d] : [];
}

export async function createContext(schemaDirs: string[] = defaultSchemaDirs()): Promise<{ ctx: RunnerContext; diagnostics: Diagnostic[] }> {
  const loaded = await loadSchemas(schemaDirs);
  return { ctx: { schemas: loaded.schemas, content: new Map() }, diagnostics: loaded.diagnostics };
}

/** A path as shown in diagnostics and results: relative to the working directory when inside it. */
export function displayPath(p: string): string {
  const r = relative(process.cwd(), p);
  return r && !r.startsWith("..") ? r : p;
}

const IGNORE = ["**/node_modules/**", "**/fixtures/**", "**/.git/**"];

/** Test files under the given paths (a directory is searched recursively; a content file means its sidecar). */
export async function discoverTestFiles(paths: string[]): Promise<string[]> {
  const out = new Set<string>();
  for (const p of paths) {
    const abs = resolve(p);
    if (!existsSync(abs)) continue;
    if (statSync(abs).isDirectory()) {
      for (const f of await glob(`**/*${TEST_FILE_SUFFIX}`, { cwd: abs, absolute: true, ignore: IGNORE })) out.add(resolve(f));
    } else if (abs.endsWith(TEST_FILE_SUFFIX)) {
      out.add(abs);
    } else if (existsSync(testFileFor(abs))) {
      out.add(testFileFor(abs));
    }
  }
  return [...out].sort();
}

/** Content files (YAML with a `query:`) under the given paths, excluding test files, fixtures and schemas. */
export async function discoverContentFiles(paths: string[]): Promise<string[]> {
  const out = new Set<string>();
  for (const p of paths) {
    const abs = resolve(p);
    if (!existsSync(abs)) continue;
    const files = statSync(abs).isDirectory()
      ? await glob(["**/*.yaml", "**/*.yml"], { cwd: abs, absolute: true, ignore: [...IGNORE, "**/schemas/**", `**/*${TEST_FILE_SUFFIX}`] })
      : abs.endsWith(TEST_FILE_SUFFIX) ? [] : [abs];
    for (const f of files) out.add(resolve(f));
  }
  return [...out].sort();
}

export function loadContent(ctx: RunnerContext, file: string): Promise<{ item?: ContentItem; diagnostics: Diagnostic[] }> {
  let p = ctx.content.get(file);
  if (!p) {
    p = loadContentFile(file, displayPath(file));
    ctx.content.set(file, p);
  }
  return p;
}

export interface PreparedCase {
  title: string;
  caseName: string;
  /** Undefined for the stand-in unit of a test file that could not be read. */
  testCase?: TestCase;
  line: number;
  column: number;
  kind?: CaseKind;
  run(): Promise<CaseResult & { execution?: Execution }>;
}

export interface PreparedFile {
  testFile: string;
  contentName: string;
  loaded: LoadedTestFile;
  item?: ContentItem;
  cases: PreparedCase[];
  /** Problems that stop the whole file (bad YAML, missing content); each case then reports them. */
  diagnostics: Diagnostic[];
}

/** Loads a test file (unless `preloaded`) and its content item; each case becomes a runnable unit. */
export async function prepareFile(ctx: RunnerContext, testFilePath: string, preloaded?: LoadedTestFile): Promise<PreparedFile> {
  const shown = displayPath(testFilePath);
  const loaded = preloaded ?? loadTestFile(shown);
  const tf = loaded.testFile;
  const diagnostics = [...loaded.diagnostics];
  let item: ContentItem | undefined;
  if (tf && existsSync(tf.contentFile)) {
    const c = await loadContent(ctx, tf.contentFile);
    diagnostics.push(...c.diagnostics.filter((d) => d.severity === "error"));
    item = c.item;
    if (item && !item.query) diagnostics.push({ file: item.file, line: 1, column: 1, rule: "test-content-query", severity: "error", message: "the content file has no query" });
  }
  const contentName = item?.name || basename(testFilePath, TEST_FILE_SUFFIX);
  const fileBroken = diagnostics.some((d) => d.severity === "error") || !tf || !item;
  const cases: PreparedCase[] = (tf?.cases ?? []).map((c) => {
    const title = `${contentName} › ${c.name}`;
    const base = { title, contentName, caseName: c.name, testFile: shown, line: c.pos.line, column: c.pos.column, kind: c.kind };
    return {
      title, caseName: c.name, testCase: c, line: c.pos.line, column: c.pos.column, kind: c.kind,
      run: async () => {
        const t0 = performance.now();
        const done = (status: CaseResult["status"], message?: string, execution?: Execution) =>
          ({ ...base, status, message, durationMs: performance.now() - t0, execution });
        if (fileBroken) return done("error", diagnostics.map(formatShort).join("\n"));
        try {
          const r = await runCase(ctx, tf!, item!, c);
          if (r.diagnostics.length) return done("error", r.diagnostics.map(formatShort).join("\n"));
          const exec = r.execution!;
          if (!c.expect) return done("fail", "this case has no expect: block (run `scac test --update` to fill it in from the observed result)", exec);
          const failure = checkExpectation(c.expect, exec.result, exec.simulation, { now: r.now });
          return failure ? done("fail", failure, exec) : done("pass", undefined, exec);
        } catch (e) {
          if (e instanceof ExecutionError) return done("error", e.message);
          return done("error", `internal error: ${(e as Error).stack ?? e}`);
        }
      },
    };
  });
  // A broken file with no readable cases still yields one failing unit so it cannot pass silently.
  if (fileBroken && cases.length === 0) {
    const title = `${contentName} › (test file)`;
    cases.push({
      title, caseName: "(test file)", line: 1, column: 1,
      run: async () => ({ title, contentName, caseName: "(test file)", testFile: shown, line: diagnostics[0]?.line ?? 1, column: diagnostics[0]?.column ?? 1, status: "error", message: diagnostics.map(formatShort).join("\n"), durationMs: 0 }),
    });
  }
  return { testFile: shown, contentName, loaded, item, cases, diagnostics };
}

function formatShort(d: Diagnostic): string {
  return `${d.file}${d.line > 0 ? `:${d.line}${d.column > 0 ? `:${d.column}` : ""}` : ""}: ${d.message} [${d.rule}]`;
}

/** Runs one case: tables prepared and validated, then the content executed. */
export async function runCase(ctx: RunnerContext, tf: TestFile, item: ContentItem, c: TestCase): Promise<{ execution?: Execution; diagnostics: Diagnostic[]; now: bigint }> {
  const nowText = c.now ?? tf.now;
  const now = parseNow(nowText);
  const wl = caseWatchlists(tf, c, schemasWithInline(ctx.schemas, tf, c), now);
  const schemas = wl.schemas;
  const { tables, diagnostics } = caseTables(tf, c, schemas, now);
  diagnostics.push(...wl.diagnostics);
  if (diagnostics.length) return { diagnostics, now };
  if (wl.table) tables.push(wl.table);
  const execution = await execute({
    item,
    tables,
    parameters: { ...tf.parameters, ...c.parameters },
    now,
    schemas,
    watchlists: wl.aliases,
    externalData: externalDataOf(tf, c),
    engine: ctx.engine,
    huntingRange: item.kind === "hunting" ? huntingRange(tf.timeRange, now, parseNow) : undefined,
  });
  return { execution, diagnostics: [], now };
}

/** The case's externaldata mappings (the file's, each URL replaced by the case's) as the engine takes them. */
function externalDataOf(tf: TestFile, c: TestCase): ExecuteInput["externalData"] {
  const specs = new Map([...tf.externaldata, ...c.externaldata]);
  if (specs.size === 0) return undefined;
  return Object.fromEntries([...specs].map(([url, s]) => [url, s.file ?? s.rows ?? []]));
}

const inlineCache = new WeakMap<TestFile, SchemaSet>();

/** The schema set plus tables the test file types inline (`columns:`), so the engine and analyser know them. */
function schemasWithInline(base: SchemaSet, tf: TestFile, c: TestCase): SchemaSet {
  const specs = [...tf.tables, ...c.tables, ...c.addRows].filter(([name, s]) => s.columns && !base.tables.has(name));
  if (specs.length === 0) return base;
  const caseSpecific = [...c.tables, ...c.addRows].some(([, s]) => s.columns);
  if (!caseSpecific && inlineCache.has(tf)) return inlineCache.get(tf)!;
  const set: SchemaSet = { tables: new Map(base.tables), functions: base.functions, watchlists: base.watchlists };
  for (const [name, s] of specs) set.tables.set(name, { name, columns: s.columns!, source: tf.file });
  if (!caseSpecific) inlineCache.set(tf, set);
  return set;
}

// ---------- coverage gate ----------

export interface CoverageOptions {
  /** "error" (default) fails the run; "warning" reports only; "off" skips the gate. */
  level: "error" | "warning" | "off";
}

/** What the coverage gate and watch mode need to know about a test file (serialisable across workers). */
export interface FileInfo {
  /** As displayed (relative to the working directory when inside it). */
  testFile: string;
  /** Absolute paths. */
  absPath: string;
  contentFile?: string;
  fixtureFiles: string[];
  kinds: (CaseKind | undefined)[];
}

export function fileInfo(p: PreparedFile): FileInfo {
  return {
    testFile: p.testFile,
    absPath: resolve(p.testFile),
    contentFile: p.loaded.testFile ? resolve(p.loaded.testFile.contentFile) : undefined,
    fixtureFiles: p.loaded.testFile?.fixtureFiles ?? [],
    kinds: p.cases.map((c) => c.kind),
  };
}

/**
 * Every content item needs a test file with at least one positive and one negative case. Reported as
 * Diagnostics (rule `test-coverage`) in the lint format, at the content file (no tests) or the test file.
 */
export async function coverageGate(ctx: RunnerContext, contentFiles: string[], files: FileInfo[], opts: CoverageOptions = { level: "error" }): Promise<Diagnostic[]> {
  if (opts.level === "off") return [];
  const byContent = new Map<string, FileInfo>();
  for (const f of files) if (f.contentFile) byContent.set(f.contentFile, f);
  const out: Diagnostic[] = [];
  for (const file of contentFiles) {
    const c = await loadContent(ctx, file);
    if (!c.item || !c.item.query) continue; // not a content item (or broken: lint reports that)
    const p = byContent.get(resolve(file));
    const sev = opts.level;
    if (!p) {
      out.push({ file: displayPath(file), line: 1, column: 1, rule: "test-coverage", severity: sev, message: `'${c.item.name}' has no tests: add ${displayPath(testFileFor(file))} with a positive and a negative case (scac new scaffolds one)` });
      continue;
    }
    const kinds = new Set(p.kinds);
    const missing = (["positive", "negative"] as const).filter((k) => !kinds.has(k));
    if (missing.length) {
      out.push({ file: p.testFile, line: 1, column: 1, rule: "test-coverage", severity: sev, message: `'${c.item.name}' has no ${missing.join(" and no ")} case (a positive case expects rows/alerts, a negative case expects none; or set kind:)` });
    }
  }
  return out;
}
