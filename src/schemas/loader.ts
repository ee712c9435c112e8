// Loads schema sets: the built-in table schemas shipped in data/tables.json plus user schema directories
// (content/schemas/, --schemas). Two file formats:
//   - scac format (YAML or JSON): { tables: [{name, columns}], functions: [{name, parameters, body | columns}],
//     watchlists: [{alias, columns}] }; `columns` is a mapping name → type or a list of {name, type, description};
//   - Azure-Sentinel CustomTables JSON: { "Name": "...", "Properties": [{ "Name", "Type" }] } (type in any case).
// A table declared more than once is merged column by column, so a team can extend a built-in table with the
// columns their workspace really has. Bad schema files give diagnostics; they never stop the load.
import { createHash } from "node:crypto";
import { readFile, readdir, stat } from "node:fs/promises";
import { extname, join } from "node:path";
import { isMap, isSeq, LineCounter, parseDocument, type Node } from "yaml";
import { sortDiagnostics, type Diagnostic } from "../diagnostics.js";
import { normalizeTypeName, type KqlType } from "../kql/values.js";
import type { ColumnSchema, FunctionSchema, SchemaSet, TableSchema, WatchlistSchema } from "./model.js";
import { emptySchemaSet } from "./model.js";

export interface LoadedSchemas {
  schemas: SchemaSet;
  diagnostics: Diagnostic[];
  /** Content hash of the whole set (built-ins + user files); changes whenever any declaration changes. */
  hash: string;
}

const BUILTIN_URL = new URL("../../data/tables.json", import.meta.url);
const SCHEMA_EXTENSIONS = new Set([".json", ".yaml", ".yml"]);
/** Schema files larger than this are refused (a schema dump of a whole workspace is a few hundred KB). */
export const MAX_SCHEMA_BYTES = 8 * 1024 * 1024;

/** Columns every `_GetWatchlist()` result has, whatever the watchlist. */
export const WATCHLIST_BASE_COLUMNS: readonly ColumnSchema[] = [
  { name: "_DTItemId", type: "string" },
  { name: "LastUpdatedTimeUTC", type: "datetime" },
  { name: "SearchKey", type: "string" },
  { name: "WatchlistItem", type: "dynamic" },
];

interface Builder {
  set: SchemaSet;
  diagnostics: Diagnostic[];
  /** Tables first declared by a user file (type conflicts among user files are reported). */
  userDeclared: Set<string>;
}

let builtinText: Promise<string> | undefined;

/** Built-ins plus every schema file found (recursively) in `dirs`. */
export async function loadSchemas(dirs: readonly string[]): Promise<LoadedSchemas> {
  const b: Builder = { set: emptySchemaSet(), diagnostics: [], userDeclared: new Set() };
  const hash = createHash("sha256");
  builtinText ??= readFile(BUILTIN_URL, "utf8");
  const builtin = await builtinText;
  hash.update(builtin);
  addDocument(b, JSON.parse(builtin), "<built-in>", undefined, false);
  for (const dir of dirs) {
    for (const file of await schemaFiles(dir, b.diagnostics)) {
      let text: string;
      try {
        const size = (await stat(file)).size;
        if (size > MAX_SCHEMA_BYTES) {
          b.diagnostics.push(err(file, 0, 0, `schema file is ${size} bytes; the limit is ${MAX_SCHEMA_BYTES}`));
          continue;
        }
        text = await readFile(file, "utf8");
      } catch (e) {
        b.diagnostics.push({ file, line: 0, column: 0, rule: "io", severity: "error", message: `cannot read schema file: ${(e as Error).message}` });
        continue;
      }
      hash.update(`\0${file}\0${text}`);
      parseSchemaText(b, text, file);
    }
  }
  finishWatchlists(b.set);
  return { schemas: b.set, diagnostics: sortDiagnostics(b.diagnostics), hash: hash.digest("hex").slice(0, 32) };
}

/** Parses one schema file's text into an existing set (exported for tests and for single-file use). */
export function addSchemaText(set: SchemaSet, text: string, file: string): Diagnostic[] {
  const b: Builder = { set, diagnostics: [], userDeclared: new Set(set.tables.keys()) };
  parseSchemaText(b, text, file);
  finishWatchlists(set);
  return b.diagnostics;
}

async function schemaFiles(dir: string, diagnostics: Diagnostic[]): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    diagnostics.push({ file: dir, line: 0, column: 0, rule: "io", severity: "error", message: code === "ENOENT" ? "schema directory does not exist" : `cannot read schema directory: ${(e as Error).message}` });
    return [];
  }
  const out: string[] = [];
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (e.name.startsWith(".") || e.name === "node_modules") continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await schemaFiles(p, diagnostics)));
    else if (SCHEMA_EXTENSIONS.has(extname(e.name).toLowerCase())) out.push(p);
  }
  return out;
}

function err(file: string, line: number, column: number, message: string, severity: Diagnostic["severity"] = "error"): Diagnostic {
  return { file, line, column, rule: "schema-invalid", severity, message };
}

function parseSchemaText(b: Builder, text: string, file: string): void {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  // JSON (most schema dumps) parses an order of magnitude faster with JSON.parse; the YAML parser (JSON is
  // YAML) is only needed for positions, so it runs lazily when a diagnostic must point somewhere.
  if (/\.json$/i.test(file)) {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
    if (data !== undefined && data !== null && typeof data === "object") {
      let where: NonNullable<Where> | undefined;
      const lazy = (path: (string | number)[]): [number, number] => {
        if (!where) {
          const p = positionsOf(text);
          where = "where" in p ? p.where : () => [1, 1];
        }
        return where(path);
      };
      addDocument(b, data, file, lazy, true);
      return;
    }
  }
  const parsed = positionsOf(text);
  if ("error" in parsed) {
    b.diagnostics.push(err(file, parsed.error.line, parsed.error.column, parsed.error.message));
    return;
  }
  if (!parsed.mappingOrList) {
    b.diagnostics.push(err(file, 1, 1, "a schema file must be a mapping (scac format) or a CustomTables object"));
    return;
  }
  addDocument(b, parsed.data, file, parsed.where, true);
}

type Parsed =
  | { data: unknown; mappingOrList: boolean; where: NonNullable<Where> }
  | { error: { line: number; column: number; message: string } };

/** YAML parse with a node-path → line/column look-up. */
function positionsOf(text: string): Parsed {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const p = lineCounter.linePos(e.pos[0]);
    return { error: { line: p.line, column: p.col, message: `not valid YAML/JSON: ${e.message.split("\n")[0]}` } };
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 50 });
  } catch (e) {
    return { error: { line: 1, column: 1, message: (e as Error).message.split("\n")[0]! } };
  }
  const where = (path: (string | number)[]): [number, number] => {
    const node = doc.getIn(path, true) as Node | undefined;
    if (node && node.range) {
      const p = lineCounter.linePos(node.range[0]);
      return [p.line, p.col];
    }
    return [1, 1];
  };
  return { data, mappingOrList: isMap(doc.contents) || isSeq(doc.contents), where };
}

type Where = ((path: (string | number)[]) => [number, number]) | undefined;

function addDocument(b: Builder, data: unknown, file: string, where: Where, user: boolean): void {
  const at = (path: (string | number)[]) => (where ? where(path) : [0, 0] as [number, number]);
  const report = (path: (string | number)[], message: string, severity: Diagnostic["severity"] = "error") => {
    const [l, c] = at(path);
    b.diagnostics.push(err(file, l, c, message, severity));
  };
  if (Array.isArray(data)) {
    // A list of CustomTables objects.
    data.forEach((t, i) => addCustomTable(b, t, file, [i], report, user));
    return;
  }
  const d = data as Record<string, unknown>;
  if ("Name" in d && "Properties" in d) {
    addCustomTable(b, d, file, [], report, user);
    return;
  }
  const known = new Set(["tables", "functions", "watchlists", "$comment", "description"]);
  for (const k of Object.keys(d)) {
    if (!known.has(k)) report([k], `unknown top-level key '${k}' (expected tables, functions, watchlists)`);
  }
  for (const [i, t] of listOf(d.tables, ["tables"], report).entries()) {
    const name = stringField(t, "name", ["tables", i], report);
    if (!name) continue;
    const columns = columnsOf((t as Record<string, unknown>).columns, ["tables", i, "columns"], report);
    if (columns) addTable(b, { name, columns, source: file }, user, ["tables", i], report);
  }
  for (const [i, f] of listOf(d.functions, ["functions"], report).entries()) {
    const name = stringField(f, "name", ["functions", i], report);
    if (!name) continue;
    const rec = f as Record<string, unknown>;
    const parameters = rec.parameters === undefined ? "()" : String(rec.parameters).trim();
    if (!/^\(.*\)$/s.test(parameters)) {
      report(["functions", i, "parameters"], `function ${name}: parameters must be a Kusto parameter list in parentheses, e.g. "(starttime:datetime=datetime(null))"`);
      continue;
    }
    let body: string;
    if (typeof rec.body === "string" && rec.body.trim() !== "") {
      body = rec.body.trim();
      if (!body.startsWith("{")) body = `{ ${body} }`;
    } else if (rec.columns !== undefined) {
      const cols = columnsOf(rec.columns, ["functions", i, "columns"], report);
      if (!cols) continue;
      body = `{ ${datatableOf(cols)} }`;
    } else {
      report(["functions", i], `function ${name}: give either body (Kusto) or columns (its result schema)`);
      continue;
    }
    const fn: FunctionSchema = { name, parameters, body, source: file };
    if (typeof rec.description === "string") fn.description = rec.description;
    b.set.functions.set(name, fn);
  }
  for (const [i, w] of listOf(d.watchlists, ["watchlists"], report).entries()) {
    const alias = stringField(w, "alias", ["watchlists", i], report);
    if (!alias) continue;
    const columns = columnsOf((w as Record<string, unknown>).columns ?? {}, ["watchlists", i, "columns"], report);
    if (columns) b.set.watchlists.set(alias, { alias, columns, source: file } satisfies WatchlistSchema);
  }
}

function addCustomTable(b: Builder, t: unknown, file: string, path: (string | number)[], report: (p: (string | number)[], m: string) => void, user: boolean): void {
  const rec = (t ?? {}) as Record<string, unknown>;
  if (typeof rec.Name !== "string" || !Array.isArray(rec.Properties)) {
    report(path, "a CustomTables entry needs Name (string) and Properties (list of {Name, Type})");
    return;
  }
  const columns: ColumnSchema[] = [];
  rec.Properties.forEach((p: unknown, i) => {
    const pr = (p ?? {}) as Record<string, unknown>;
    const cpath = [...path, "Properties", i];
    if (typeof pr.Name !== "string" || typeof pr.Type !== "string") {
      report(cpath, `table ${rec.Name}: property needs Name and Type strings`);
      return;
    }
    const type = normalizeTypeName(pr.Type);
    if (!type) report([...cpath, "Type"], `table ${rec.Name}: column ${pr.Name} has unknown type '${pr.Type}' (treated as dynamic)`);
    columns.push({ name: pr.Name, type: type ?? "dynamic" });
  });
  addTable(b, { name: rec.Name, columns, source: file }, user, path, report);
}

function addTable(b: Builder, t: TableSchema, user: boolean, path: (string | number)[], report: (p: (string | number)[], m: string, s?: Diagnostic["severity"]) => void): void {
  const existing = b.set.tables.get(t.name);
  if (!existing) {
    b.set.tables.set(t.name, { ...t, columns: dedupeColumns(t.columns) });
    if (user) b.userDeclared.add(t.name);
    return;
  }
  const byName = new Map(existing.columns.map((c, i) => [c.name, i]));
  const conflicts: string[] = [];
  for (const c of t.columns) {
    const i = byName.get(c.name);
    if (i === undefined) {
      byName.set(c.name, existing.columns.length);
      existing.columns.push(c);
    } else if (existing.columns[i]!.type !== c.type) {
      if (b.userDeclared.has(t.name)) conflicts.push(`${c.name} (${existing.columns[i]!.type} vs ${c.type})`);
      existing.columns[i] = c; // the later (user) declaration describes the workspace
    }
  }
  if (conflicts.length > 0) {
    report(path, `table ${t.name} is also declared in ${existing.source}; conflicting column types, the later wins: ${conflicts.join(", ")}`, "warning");
  }
  if (user) b.userDeclared.add(t.name);
  existing.source = t.source;
}

function dedupeColumns(cols: ColumnSchema[]): ColumnSchema[] {
  const seen = new Map<string, ColumnSchema>();
  for (const c of cols) seen.set(c.name, c);
  return [...seen.values()];
}

function listOf(v: unknown, path: (string | number)[], report: (p: (string | number)[], m: string) => void): unknown[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) {
    report(path, `${path.join(".")} must be a list`);
    return [];
  }
  return v;
}

function stringField(v: unknown, key: string, path: (string | number)[], report: (p: (string | number)[], m: string) => void): string | undefined {
  const s = v && typeof v === "object" ? (v as Record<string, unknown>)[key] : undefined;
  if (typeof s !== "string" || s.trim() === "") {
    report(path, `${path.join(".")}: '${key}' is required (a non-empty string)`);
    return undefined;
  }
  return s.trim();
}

/** Columns as `{Name: type}` or `[{name, type, description}]`; unknown types are reported and become dynamic. */
function columnsOf(v: unknown, path: (string | number)[], report: (p: (string | number)[], m: string) => void): ColumnSchema[] | undefined {
  const out: ColumnSchema[] = [];
  const push = (name: string, typeName: unknown, p: (string | number)[], description?: unknown) => {
    const type = typeof typeName === "string" ? normalizeTypeName(typeName) : undefined;
    if (!type) report(p, `column ${name}: unknown type '${String(typeName)}' (expected bool, int, long, real, decimal, string, datetime, timespan, guid or dynamic)`);
    const c: ColumnSchema = { name, type: type ?? "dynamic" };
    if (typeof description === "string") c.description = description;
    out.push(c);
  };
  if (Array.isArray(v)) {
    v.forEach((c, i) => {
      const r = (c ?? {}) as Record<string, unknown>;
      const name = r.name ?? r.Name;
      if (typeof name !== "string") return report([...path, i], "a column needs a name");
      push(name, r.type ?? r.Type, [...path, i], r.description);
    });
    return out;
  }
  if (v && typeof v === "object") {
    for (const [name, t] of Object.entries(v as Record<string, unknown>)) push(name, t, [...path, name]);
    return out;
  }
  report(path, "columns must be a mapping (name: type) or a list of {name, type}");
  return undefined;
}

function quoteName(n: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(n) ? n : `['${n.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}']`;
}

function datatableOf(cols: readonly ColumnSchema[]): string {
  return `datatable(${cols.map((c) => `${quoteName(c.name)}:${c.type}`).join(", ")})[]`;
}

/** SearchKey, the item bag etc. plus the union of the watchlists' columns (conflicting types become dynamic). */
function watchlistColumns(watchlists: Iterable<WatchlistSchema>): ColumnSchema[] {
  const cols = new Map<string, KqlType>(WATCHLIST_BASE_COLUMNS.map((c) => [c.name, c.type]));
  for (const w of watchlists) {
    for (const c of w.columns) {
      const prev = cols.get(c.name);
      cols.set(c.name, prev === undefined || prev === c.type ? c.type : "dynamic");
    }
  }
  return [...cols].map(([name, type]) => ({ name, type }));
}

const GET_WATCHLIST_PARAMETERS = "(watchlistAlias:string, keys:dynamic=dynamic(null))";

/**
 * Declares `_GetWatchlist(alias)`: its result is SearchKey and the item bag plus the union of every declared
 * watchlist's columns (a static signature cannot depend on the alias). Without supplied items it is empty.
 * A user-declared `_GetWatchlist` function wins.
 */
function finishWatchlists(set: SchemaSet): void {
  const existing = set.functions.get("_GetWatchlist");
  if (existing && existing.source !== "<watchlists>") return;
  set.functions.set("_GetWatchlist", {
    name: "_GetWatchlist",
    parameters: GET_WATCHLIST_PARAMETERS,
    body: `{ ${datatableOf(watchlistColumns(set.watchlists.values()))} }`,
    description: "Sentinel watchlist items by alias",
    source: "<watchlists>",
  });
}

/** Hidden table holding supplied watchlist items (content tests, `scac simulate --watchlist`), one row per item. */
export const WATCHLIST_ITEMS_TABLE = "__scac_watchlist_items";
/** Its column naming the watchlist an item belongs to. */
export const WATCHLIST_ALIAS_COLUMN = "__scac_alias";

/**
 * A schema set whose `_GetWatchlist(alias)` returns the rows of WATCHLIST_ITEMS_TABLE whose alias column equals
 * `alias` (exact match, like Sentinel's `WatchlistAlias == watchlistAlias`), instead of nothing. `extra` adds
 * watchlists no schema file declares (their columns join the union). Returns the item columns (without the alias
 * column), or an error text when a schema file declares its own `_GetWatchlist` (its body decides the rows).
 */
export function withWatchlistItems(base: SchemaSet, extra: readonly WatchlistSchema[]): { schemas: SchemaSet; columns: ColumnSchema[] } | { error: string } {
  const existing = base.functions.get("_GetWatchlist");
  if (existing && existing.source !== "<watchlists>") {
    return { error: `_GetWatchlist is declared by ${existing.source ?? "a schema file"}, so its body decides what it returns; supplied watchlist items cannot be used` };
  }
  const watchlists = new Map(base.watchlists);
  for (const w of extra) if (!watchlists.has(w.alias)) watchlists.set(w.alias, w);
  const columns = watchlistColumns(watchlists.values());
  const tables = new Map(base.tables);
  tables.set(WATCHLIST_ITEMS_TABLE, { name: WATCHLIST_ITEMS_TABLE, columns: [{ name: WATCHLIST_ALIAS_COLUMN, type: "string" }, ...columns], source: "<watchlists>" });
  const functions = new Map(base.functions);
  functions.set("_GetWatchlist", {
    name: "_GetWatchlist",
    parameters: GET_WATCHLIST_PARAMETERS,
    body: `{ ${WATCHLIST_ITEMS_TABLE} | where ${WATCHLIST_ALIAS_COLUMN} == watchlistAlias | project-away ${WATCHLIST_ALIAS_COLUMN} }`,
    description: "Sentinel watchlist items by alias (supplied items)",
    source: "<watchlists>",
  });
  return { schemas: { tables, functions, watchlists }, columns };
}
