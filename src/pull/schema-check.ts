// Per-tenant schema check: every content item a workspace selects, analysed against that workspace's lock file
// alone (content/schemas/<workspace>.yaml from `scac schema pull`, without the built-in tables), with that
// workspace's parameter values bound. `scac lint` analyses against the union of all schemas, which cannot say
// "this rule reads a table tenant X does not have"; this can, before Sentinel rejects (or auto-disables) it.
// Items whose query already fails against the union are left to lint, so only tenant-specific problems show.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { bindParameters, ParameterError } from "../content/parameters.js";
import type { ContentItem } from "../content/model.js";
import type { Diagnostic } from "../diagnostics.js";
import { loadCatalog, selectContent } from "../deploy/catalog.js";
import { readWorkspaces, type WorkspaceTarget } from "../deploy/workspaces.js";
import { analyze } from "../kql/frontend.js";
import { addSchemaText, loadSchemas } from "../schemas/loader.js";
import { emptySchemaSet, type SchemaSet } from "../schemas/model.js";

/** ASIM parsers are built into every Sentinel workspace but are not saved searches, so no lock file lists them. */
const BUILT_IN_FUNCTION = /^(_?im[A-Z_]|_?asim[A-Z_]|_Im_|_ASim_)/;

export interface SchemaCheckOptions {
  workspacesFile: string;
  /** Directory of lock files; default content/schemas beside the workspaces file. */
  schemaDir?: string;
  /** Only these workspaces (default all). */
  workspaces?: string[];
}

export interface SchemaCheckResult {
  diagnostics: Diagnostic[];
  /** Per workspace: the lock file used (undefined: none, not checked) and how many items were checked. */
  workspaces: { name: string; lock?: string; checked: number }[];
}

export async function checkWorkspaceSchemas(opts: SchemaCheckOptions): Promise<SchemaCheckResult> {
  const result: SchemaCheckResult = { diagnostics: [], workspaces: [] };
  const wf = await readWorkspaces(opts.workspacesFile);
  result.diagnostics.push(...wf.diagnostics);
  if (!wf.value) return result;
  const config = wf.value;
  const dir = opts.schemaDir ?? join(config.baseDir, "content", "schemas");
  const catalog = await loadCatalog(config.baseDir);
  const union = (await loadSchemas(existsSync(dir) ? [dir] : [])).schemas;
  for (const target of config.workspaces) {
    if (opts.workspaces?.length && !opts.workspaces.includes(target.name)) continue;
    const lock = join(dir, `${target.name}.yaml`);
    if (!existsSync(lock)) {
      result.workspaces.push({ name: target.name, checked: 0 });
      result.diagnostics.push({ file: config.file, line: 0, column: 0, rule: "schema/no-lock", severity: "info", message: `workspace '${target.name}': no ${lock}; run \`scac schema pull --workspace ${target.name}\` to check content against its tables` });
      continue;
    }
    const set = emptySchemaSet();
    const problems = addSchemaText(set, readFileSync(lock, "utf8"), lock);
    result.diagnostics.push(...problems);
    const selected = selectContent(catalog.items, target);
    for (const c of selected) result.diagnostics.push(...checkItem(c.item, target, set, union));
    result.workspaces.push({ name: target.name, lock, checked: selected.length });
  }
  return result;
}

/** Tenant-specific problems of one item in one workspace. */
export function checkItem(item: ContentItem, target: WorkspaceTarget, tenant: SchemaSet, union: SchemaSet): Diagnostic[] {
  if (!item.query.trim()) return [];
  const values: Record<string, unknown> = {};
  for (const p of item.parameters) if (Object.prototype.hasOwnProperty.call(target.parameters, p.name)) values[p.name] = target.parameters[p.name];
  let bound: ReturnType<typeof bindParameters>;
  try {
    bound = bindParameters(item.query, item.parameters, values);
  } catch (e) {
    if (e instanceof ParameterError) return []; // deploy and lint report parameter problems
    throw e;
  }
  if (analyze(bound.query, union).diagnostics.some((d) => d.severity === "error")) return []; // lint's finding
  const a = analyze(bound.query, tenant);
  const out: Diagnostic[] = [];
  const at = (line: number, column: number) => item.queryPosition(Math.max(1, line - bound.prelude.lines), column);
  const errors = a.diagnostics.filter((d) => d.severity === "error");
  const asim = errors.find((d) => d.code === "KS204" && BUILT_IN_FUNCTION.test(/'([^']+)'/.exec(d.message)?.[1] ?? ""));
  if (asim) return []; // reads an ASIM parser the lock cannot describe: not checkable here
  for (const d of errors) {
    const p = at(d.line, d.column);
    out.push({ file: item.file, line: p.line, column: p.column, rule: "schema/workspace", severity: "error",
      message: `in workspace '${target.name}' (${target.workspace}): ${d.code}: ${d.message}` });
  }
  if (errors.length === 0 && a.resultColumns && item.kind === "analytics") {
    const have = new Set(a.resultColumns.map((c) => c.name));
    const data = item.data;
    const uses: [readonly (string | number)[], string][] = [];
    (Array.isArray(data.entityMappings) ? data.entityMappings : []).forEach((m: { fieldMappings?: { columnName?: unknown }[] }, i: number) =>
      (m?.fieldMappings ?? []).forEach((f, j) => { if (typeof f?.columnName === "string") uses.push([["entityMappings", i, "fieldMappings", j, "columnName"], f.columnName]); }));
    for (const [k, v] of Object.entries((data.customDetails ?? {}) as Record<string, unknown>)) if (typeof v === "string") uses.push([["customDetails", k], v]);
    for (const [path, col] of uses) {
      if (have.has(col)) continue;
      const p = item.positionOf(path);
      out.push({ file: item.file, line: p.line, column: p.column, rule: "schema/workspace", severity: "error",
        message: `in workspace '${target.name}' (${target.workspace}): column '${col}' is not among the query's output columns there (${[...have].join(", ")}); Sentinel would reject the rule` });
    }
  }
  return out;
}
