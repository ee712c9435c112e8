// Reads a sidecar test file (`<name>.test.yaml`): YAML with positions, structure checked by the shipped JSON
// Schema, fixture files read. Every problem is a Diagnostic with file:line:col; nothing here throws.
import { readFileSync, existsSync } from "node:fs";
import { basename, dirname, extname, join, resolve } from "node:path";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { LineCounter, parseDocument, type Document } from "yaml";
import type { Diagnostic } from "../diagnostics.js";
import type { Position } from "../content/model.js";
import { readRowObjects } from "../kql/data.js";
import { normalizeTypeName } from "../kql/values.js";
import type { ColumnSchema } from "../schemas/model.js";
import type { CaseKind, Expectation, ExternalDataSpec, Range, TableSpec, TestCase, TestFile, WatchlistSpec } from "./model.js";
import { pointerToPath, positionAt, schemaErrorMessage, type YamlPath } from "../yaml-pos.js";

export const TEST_FILE_SUFFIX = ".test.yaml";
const SCHEMA_URL = new URL("../../data/json-schema/test-file.schema.json", import.meta.url);

let validator: ValidateFunction | undefined;
function schemaValidator(): ValidateFunction {
  if (!validator) {
    const ajv = new Ajv({ allErrors: true, strict: false, verbose: true });
    validator = ajv.compile(JSON.parse(readFileSync(SCHEMA_URL, "utf8")));
  }
  return validator;
}

/** The content file a test file belongs to by default: `x.test.yaml` → `x.yaml` (or `x.yml`). */
export function defaultContentFile(testFile: string): string {
  const stem = basename(testFile).slice(0, -TEST_FILE_SUFFIX.length);
  const yml = join(dirname(testFile), `${stem}.yml`);
  const yaml = join(dirname(testFile), `${stem}.yaml`);
  return existsSync(yaml) || !existsSync(yml) ? yaml : yml;
}

/** The sidecar test file of a content file. */
export function testFileFor(contentFile: string): string {
  return join(dirname(contentFile), `${basename(contentFile, extname(contentFile))}${TEST_FILE_SUFFIX}`);
}

export interface LoadedTestFile {
  testFile?: TestFile;
  diagnostics: Diagnostic[];
  /** The parsed document and its line counter (kept for --update, which edits it in place). */
  doc?: Document.Parsed;
  text?: string;
}

export function loadTestFile(file: string): LoadedTestFile {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    return { diagnostics: [mk(file, { line: 0, column: 0 }, "test-file-io", `cannot read test file: ${(e as Error).message}`)] };
  }
  return parseTestFile(text, file);
}

function mk(file: string, p: Position, rule: string, message: string): Diagnostic {
  return { file, line: p.line, column: p.column, rule, severity: "error", message };
}

export function parseTestFile(text: string, file: string): LoadedTestFile {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  const diagnostics: Diagnostic[] = [];
  for (const e of doc.errors) {
    const p = lc.linePos(e.pos[0]);
    diagnostics.push(mk(file, { line: p.line, column: p.col }, "test-file-yaml", e.message.split("\n")[0]!));
  }
  if (diagnostics.length) return { diagnostics };
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    return { diagnostics: [mk(file, { line: 1, column: 1 }, "test-file-yaml", (e as Error).message)] };
  }
  const at = (path: YamlPath, keyOnly = false) => positionAt(doc, lc, path, keyOnly);
  const validate = schemaValidator();
  if (!validate(data)) {
    for (const e of pickErrors(validate.errors ?? [])) {
      const path = pointerToPath(e.instancePath);
      const extra = e.keyword === "additionalProperties" ? [String((e.params as { additionalProperty: string }).additionalProperty)] : [];
      diagnostics.push(mk(file, at([...path, ...extra], extra.length > 0), "test-file-schema", schemaErrorMessage(e, describePattern)));
    }
    return { diagnostics };
  }
  const root = data as Record<string, unknown>;
  const dir = dirname(resolve(file));
  const fixtureFiles = new Set<string>();

  // Tables and watchlists share the shape (rows and/or files, optional column types); watchlists add searchKey.
  const readTables = (raw: unknown, path: YamlPath): Map<string, WatchlistSpec> => {
    const out = new Map<string, WatchlistSpec>();
    for (const [name, spec] of Object.entries((raw ?? {}) as Record<string, unknown>)) {
      const tpath = [...path, name];
      type Raw = { file?: string | string[]; rows?: Record<string, unknown>[]; columns?: Record<string, string>; searchKey?: string };
      const t: Raw = Array.isArray(spec) ? { rows: spec as Record<string, unknown>[] } : (spec as Raw);
      const rows: Record<string, unknown>[] = [];
      const files: TableSpec["files"] = [];
      const named = t.file ? (Array.isArray(t.file) ? t.file : [t.file]) : [];
      named.forEach((f, fi) => {
        const fixture = resolve(dir, f);
        fixtureFiles.add(fixture);
        try {
          const got = readRowObjects(fixture);
          rows.push(...got);
          files.push({ path: fixture, rows: got.length });
        } catch (e) {
          diagnostics.push(mk(file, at(Array.isArray(t.file) ? [...tpath, "file", fi] : [...tpath, "file"]), "test-fixture", (e as Error).message));
        }
      });
      const fileRows = rows.length;
      const inline = (t.rows ?? []) as Record<string, unknown>[];
      const rowsPath = Array.isArray(spec) ? tpath : [...tpath, "rows"];
      const rowPos = inline.map((_, i) => at([...rowsPath, i]));
      let columns: ColumnSchema[] | undefined;
      if (t.columns) {
        columns = Object.entries(t.columns).map(([n, ty]) => ({ name: n, type: normalizeTypeName(ty) ?? "dynamic" }));
      }
      out.set(name, { files, rows: [...rows, ...inline], columns, pos: at(tpath), rowPos, fileRows, searchKey: t.searchKey });
    }
    return out;
  };

  const readExternalData = (raw: unknown, path: YamlPath): Map<string, ExternalDataSpec> => {
    const out = new Map<string, ExternalDataSpec>();
    for (const [url, spec] of Object.entries((raw ?? {}) as Record<string, unknown>)) {
      const s = (Array.isArray(spec) ? { rows: spec } : spec) as { rows?: Record<string, unknown>[]; file?: string };
      let abs: string | undefined;
      if (s.file !== undefined) {
        abs = resolve(dir, s.file);
        fixtureFiles.add(abs);
        if (!existsSync(abs)) diagnostics.push(mk(file, at([...path, url, "file"]), "test-fixture", `${abs}: cannot read (no such file)`));
      }
      out.set(url.trim(), { rows: s.rows, file: abs, pos: at([...path, url]) });
    }
    return out;
  };

  const cases: TestCase[] = [];
  const seen = new Map<string, number>();
  (root.cases as Record<string, unknown>[]).forEach((c, i) => {
    const name = String(c.name);
    if (seen.has(name)) diagnostics.push(mk(file, at(["cases", i, "name"]), "test-case-duplicate", `case name '${name}' is already used by case ${seen.get(name)! + 1}`));
    seen.set(name, i);
    const expect = c.expect as Record<string, unknown> | undefined;
    cases.push({
      name,
      kind: (c.kind as CaseKind | undefined) ?? (expect ? inferKind(normalizeExpect(expect)) : undefined),
      tables: readTables(c.tables, ["cases", i, "tables"]),
      addRows: readTables(c.addRows, ["cases", i, "addRows"]),
      watchlists: readTables(c.watchlists, ["cases", i, "watchlists"]),
      externaldata: readExternalData(c.externaldata, ["cases", i, "externaldata"]),
      parameters: (c.parameters ?? {}) as Record<string, unknown>,
      now: c.now as string | undefined,
      expect: expect ? normalizeExpect(expect) : undefined,
      pos: at(["cases", i]),
      index: i,
    });
  });

  const contentFile = typeof root.content === "string" ? resolve(dir, root.content) : defaultContentFile(resolve(file));
  if (!existsSync(contentFile)) {
    diagnostics.push(mk(file, at(["content"]), "test-content-missing", `content file ${contentFile} does not exist`));
  }
  const tr = root.timeRange;
  const testFile: TestFile = {
    file,
    contentFile,
    now: String(root.now),
    timeRange: typeof tr === "string" ? { lookback: tr } : tr ? (tr as { start: string; end: string }) : { lookback: "7d" },
    parameters: (root.parameters ?? {}) as Record<string, unknown>,
    tables: readTables(root.tables, ["tables"]),
    watchlists: readTables(root.watchlists, ["watchlists"]),
    externaldata: readExternalData(root.externaldata, ["externaldata"]),
    cases,
    fixtureFiles: [...fixtureFiles],
  };
  return { testFile, diagnostics, doc, text };
}

function range(v: unknown): Range | undefined {
  if (v === undefined) return undefined;
  if (typeof v === "number") return { min: v, max: v };
  return v as Range;
}

function normalizeExpect(e: Record<string, unknown>): Expectation {
  return {
    rows: range(e.rows),
    columns: e.columns as string[] | undefined,
    present: e.present as Record<string, unknown>[] | undefined,
    absent: e.absent as Record<string, unknown>[] | undefined,
    triggered: e.triggered as boolean | undefined,
    alerts: range(e.alerts),
    alertsPresent: e.alertsPresent as Expectation["alertsPresent"],
  };
}

/**
 * Positive: the case expects the content to find something (rows ≥ 1, a listed present row, an alert).
 * Negative: it expects nothing (0 rows / no alert / not triggered) or only absences.
 */
export function inferKind(e: Expectation): CaseKind | undefined {
  const some = (r?: Range) => r !== undefined && (r.min ?? 0) >= 1;
  const none = (r?: Range) => r !== undefined && r.max === 0;
  if (some(e.rows) || some(e.alerts) || e.triggered === true || (e.present?.length ?? 0) > 0 || (e.alertsPresent?.length ?? 0) > 0) return "positive";
  if (none(e.rows) || none(e.alerts) || e.triggered === false || (e.absent?.length ?? 0) > 0) return "negative";
  return undefined;
}

/** The most useful schema errors: oneOf/anyOf wrappers hide the branch errors users need, so drop them. */
function pickErrors(errors: ErrorObject[]): ErrorObject[] {
  const specific = errors.filter((e) => e.keyword !== "oneOf" && e.keyword !== "anyOf");
  const list = specific.length ? specific : errors;
  // One message per location: the first, which Ajv reports for the first (usually intended) branch.
  const seen = new Set<string>();
  return list.filter((e) => {
    const key = e.instancePath + (e.keyword === "additionalProperties" ? String((e.params as { additionalProperty: string }).additionalProperty) : "");
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Pattern errors in words: datetimes and durations are what test files get wrong most. */
function describePattern(e: ErrorObject): string {
  const p = e.params as { pattern?: string };
  return /isoDatetime|now/.test(e.schemaPath) ? "an ISO 8601 datetime" : e.schemaPath.includes("duration") ? "a duration like 7d, 12h, 30m" : `to match ${p.pattern}`;
}
