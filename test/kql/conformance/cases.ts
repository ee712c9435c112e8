// Loads and validates the conformance case files (test/kql/conformance/cases/*.yaml). The format is documented in
// docs/kql-conformance.md; a malformed case is reported with its file and index instead of being skipped.
import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";
import YAML from "yaml";

export type ExpectedErrorKind = "unsupported" | "syntax" | "semantic" | "runtime";

export interface ExpectedTable {
  /** Column names, optionally typed as "name:type". */
  columns?: string[];
  rows: unknown[][];
}

export interface ConformanceCase {
  name: string;
  /** Documentation page the example comes from, or "hand-derived: …" for composite cases. */
  source: string;
  query: string;
  /** Pinned now() for ago()/now(). */
  now?: string;
  expect: ExpectedTable | { error: ExpectedErrorKind };
  /** Row order matters (default true only when the query sorts; case files state it explicitly when false). */
  ordered: boolean;
  /** Relative tolerance for real values, only where the documentation rounds its displayed output. */
  tolerance?: number;
  /** Which file it came from (basename without extension). */
  file: string;
}

export const casesDir = fileURLToPath(new URL("./cases/", import.meta.url));

const ERROR_KINDS = new Set(["unsupported", "syntax", "semantic", "runtime"]);

function fail(where: string, msg: string): never {
  throw new Error(`${where}: ${msg}`);
}

function validate(raw: unknown, file: string, index: number): ConformanceCase {
  const where = `${file}.yaml case #${index + 1}`;
  if (!raw || typeof raw !== "object") fail(where, "case must be a mapping");
  const c = raw as Record<string, unknown>;
  const known = new Set(["name", "source", "query", "now", "expect", "ordered", "tolerance"]);
  for (const k of Object.keys(c)) if (!known.has(k)) fail(where, `unknown key '${k}'`);
  if (typeof c.name !== "string" || !/^[a-z0-9][a-z0-9._-]*$/.test(c.name)) fail(where, "name must be a lower-case slug");
  const w = `${file}.yaml '${c.name}'`;
  if (typeof c.source !== "string" || !/^(data-explorer\/kusto\/query\/\S+\.md$|hand-derived)/.test(c.source)) {
    fail(w, "source must be a doc page path (data-explorer/kusto/query/….md) or start with 'hand-derived'");
  }
  if (typeof c.query !== "string" || !c.query.trim()) fail(w, "query is required");
  if (c.now !== undefined && typeof c.now !== "string") fail(w, "now must be an ISO string");
  if (c.tolerance !== undefined && (typeof c.tolerance !== "number" || !(c.tolerance > 0))) fail(w, "tolerance must be > 0");
  if (typeof c.ordered !== "boolean") fail(w, "ordered: true|false is required");
  const e = c.expect as Record<string, unknown> | undefined;
  if (!e || typeof e !== "object") fail(w, "expect is required");
  if ("error" in e) {
    if (!ERROR_KINDS.has(String(e.error))) fail(w, `expect.error must be one of ${[...ERROR_KINDS].join("|")}`);
  } else {
    if (!Array.isArray(e.rows) || !e.rows.every(Array.isArray)) fail(w, "expect.rows must be a list of lists");
    if (e.columns !== undefined) {
      if (!Array.isArray(e.columns) || !e.columns.every((x) => typeof x === "string")) fail(w, "expect.columns must be strings");
      const n = e.columns.length;
      (e.rows as unknown[][]).forEach((r, i) => { if (r.length !== n) fail(w, `row ${i + 1} has ${r.length} values, expected ${n}`); });
    }
  }
  return { ...(c as unknown as ConformanceCase), file };
}

/** All case files, sorted by name, each with its validated cases. Case names are unique across files. */
export function loadCaseFiles(dir = casesDir): { file: string; cases: ConformanceCase[] }[] {
  const files = readdirSync(dir).filter((f) => f.endsWith(".yaml")).sort();
  const seen = new Map<string, string>();
  return files.map((f) => {
    const file = f.replace(/\.yaml$/, "");
    const doc = YAML.parse(readFileSync(path.join(dir, f), "utf8"), { intAsBigInt: false }) as unknown;
    if (!Array.isArray(doc)) fail(f, "a case file is a YAML list of cases");
    const cases = doc.map((raw, i) => validate(raw, file, i));
    for (const c of cases) {
      const prev = seen.get(c.name);
      if (prev) fail(`${file}.yaml`, `duplicate case name '${c.name}' (also in ${prev}.yaml)`);
      seen.set(c.name, file);
    }
    return { file, cases };
  });
}
