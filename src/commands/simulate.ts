// `scac simulate <rule.yaml> [--table Name=file]… [--watchlist alias=file]… [--watchlist-key alias=column]…
//  [--externaldata url=file]… [--now <ISO>] [--param name=value]… [--format text|json] [--schemas <dir>]…` — what Sentinel would do with an analytics rule over given events, using exactly the
// model the content tests use (window, trigger, grouping, entities, custom details, alert-details overrides).
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { formatDiagnostic } from "../diagnostics.js";
import { readRowObjects } from "../kql/data.js";
import { formatDatetime, parseDatetime } from "../kql/values.js";
import type { Alert, ExternalDataSpec, TestCase, TestFile, WatchlistSpec } from "../testing/model.js";
import { createContext, defaultSchemaDirs, loadContent, runCase } from "../testing/runner.js";
import { ExecutionError } from "../testing/execute.js";
import { simulationJson } from "../testing/sentinel.js";

const USAGE = "usage: scac simulate <rule.yaml> [--table Name=file.json|.jsonl|.csv]… [--watchlist alias=file.csv]… [--watchlist-key alias=column]… [--externaldata url=file]… [--now <ISO>] [--param name=value]… [--format text|json] [--schemas <dir>]…";

export async function run(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        table: { type: "string", multiple: true },
        watchlist: { type: "string", multiple: true },
        "watchlist-key": { type: "string", multiple: true },
        externaldata: { type: "string", multiple: true },
        now: { type: "string" },
        param: { type: "string", multiple: true },
        format: { type: "string", default: "text" },
        schemas: { type: "string", multiple: true },
      },
    });
  } catch (e) {
    console.error(`scac simulate: ${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  const v = args.values;
  if (args.positionals.length !== 1) {
    console.error(`scac simulate: give exactly one rule file\n${USAGE}`);
    return 2;
  }
  if (v.format !== "text" && v.format !== "json") {
    console.error("scac simulate: --format must be text or json");
    return 2;
  }
  const ruleFile = resolve(args.positionals[0]!);
  const { ctx, diagnostics: schemaDiags } = await createContext([...defaultSchemaDirs(), ...(v.schemas ?? [])]);
  const schemaErrors = schemaDiags.filter((d) => d.severity === "error");
  if (schemaErrors.length) {
    for (const d of schemaErrors) console.error(formatDiagnostic(d));
    return 1;
  }
  const loaded = await loadContent(ctx, ruleFile);
  if (!loaded.item) {
    for (const d of loaded.diagnostics) console.error(formatDiagnostic(d));
    return 1;
  }
  const item = loaded.item;
  if (item.kind !== "analytics") {
    console.error(`scac simulate: ${args.positionals[0]} is a hunting query; simulate shows what an analytics rule would raise (run hunting queries with scac query or scac test)`);
    return 2;
  }

  const tables = fileSpecs(v.table ?? [], "--table", /^([A-Za-z_][\w]*)=(.+)$/);
  const watchlists = fileSpecs(v.watchlist ?? [], "--watchlist", /^([^=]+)=(.+)$/);
  if (typeof tables === "number") return tables;
  if (typeof watchlists === "number") return watchlists;
  for (const k of v["watchlist-key"] ?? []) {
    const i = k.indexOf("=");
    const spec = i > 0 ? watchlists.get(k.slice(0, i)) : undefined;
    if (!spec) {
      console.error(`scac simulate: --watchlist-key expects alias=column for an alias given with --watchlist, got '${k}'`);
      return 2;
    }
    spec.searchKey = k.slice(i + 1);
  }
  // --externaldata <url>=<file>: the URL may itself contain '=' (query strings), so the file follows the last one.
  const externaldata = new Map<string, ExternalDataSpec>();
  for (const e of v.externaldata ?? []) {
    const i = e.lastIndexOf("=");
    const path = i > 0 ? resolve(e.slice(i + 1)) : "";
    if (i <= 0 || !existsSync(path)) {
      console.error(i <= 0 ? `scac simulate: --externaldata expects url=file, got '${e}'` : `scac simulate: ${e.slice(i + 1)}: no such file`);
      return 2;
    }
    externaldata.set(e.slice(0, i).trim(), { file: path, pos: { line: 0, column: 0 } });
  }
  const parameters: Record<string, unknown> = {};
  for (const p of v.param ?? []) {
    const i = p.indexOf("=");
    if (i <= 0) {
      console.error(`scac simulate: --param expects name=value, got '${p}'`);
      return 2;
    }
    parameters[p.slice(0, i)] = parseParamValue(p.slice(i + 1));
  }
  if (v.now !== undefined && parseDatetime(v.now) === null) {
    console.error(`scac simulate: --now '${v.now}' is not an ISO 8601 datetime (e.g. 2026-11-20T12:00:00Z)`);
    return 2;
  }
  const now = v.now ?? formatDatetime(BigInt(Date.now()) * 10_000n);
  const tf: TestFile = { file: "<command line>", contentFile: ruleFile, now, timeRange: {}, parameters: {}, tables, watchlists, externaldata, cases: [], fixtureFiles: [] };
  const tc: TestCase = { name: "simulate", tables: new Map(), addRows: new Map(), watchlists: new Map(), externaldata: new Map(), parameters, pos: { line: 0, column: 0 }, index: 0 };
  let sim;
  try {
    const r = await runCase(ctx, tf, item, tc);
    if (r.diagnostics.length) {
      for (const d of r.diagnostics) console.error(formatDiagnostic(d).replace("case 'simulate': ", ""));
      return 1;
    }
    sim = r.execution!.simulation!;
  } catch (e) {
    if (e instanceof ExecutionError) {
      console.error(`scac simulate: ${(e as Error).message}`);
      return 1;
    }
    throw e;
  }
  if (v.format === "json") {
    process.stdout.write(JSON.stringify(simulationJson(sim), null, 2) + "\n");
    return 0;
  }
  const grouping = (item.data.eventGroupingSettings as { aggregationKind?: string } | undefined)?.aggregationKind ?? "SingleAlert";
  const kind = String(item.data.kind);
  const lines = [
    `Rule:    ${item.name} (${kind}${kind === "NRT" ? "" : `, queryPeriod ${String(item.data.queryPeriod)}, trigger ${String(item.data.triggerOperator)} ${String(item.data.triggerThreshold)}`}, ${grouping})`,
    `Window:  TimeGenerated in (${sim.window.start}, ${sim.window.end}]`,
    `Result:  ${sim.rows} row${sim.rows === 1 ? "" : "s"} → ${sim.triggered ? "triggered" : "not triggered"}`,
    `Alerts:  ${sim.alerts.length}`,
  ];
  sim.alerts.forEach((a, i) => lines.push(...renderAlert(a, i)));
  process.stdout.write(lines.join("\n") + "\n");
  return 0;
}

/**
 * `--table Name=file` / `--watchlist alias=file` options → specs (a repeated name concatenates its files), or the
 * exit code after printing the problem.
 */
function fileSpecs(options: string[], flag: string, pattern: RegExp): Map<string, WatchlistSpec> | number {
  const out = new Map<string, WatchlistSpec>();
  for (const spec of options) {
    const m = pattern.exec(spec);
    if (!m) {
      console.error(`scac simulate: ${flag} expects ${flag === "--table" ? "Name" : "alias"}=file, got '${spec}'`);
      return 2;
    }
    const path = resolve(m[2]!);
    if (!existsSync(path)) {
      console.error(`scac simulate: ${m[2]}: no such file`);
      return 2;
    }
    let rows: Record<string, unknown>[];
    try {
      rows = readRowObjects(path);
    } catch (e) {
      console.error(`scac simulate: ${(e as Error).message}`);
      return 1;
    }
    const prev = out.get(m[1]!);
    const files = [...(prev?.files ?? []), { path, rows: rows.length }];
    const all = [...(prev?.rows ?? []), ...rows];
    out.set(m[1]!, { files, rows: all, pos: { line: 0, column: 0 }, rowPos: [], fileRows: all.length });
  }
  return out;
}

/** `--param` values: JSON when they parse as JSON (lists, numbers, booleans, quoted strings), else plain text. */
export function parseParamValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function renderAlert(a: Alert, i: number): string[] {
  const out = ["", `  ${i + 1}. ${a.displayName}`, `     severity: ${a.severity}   tactics: ${a.tactics.join(", ") || "(none)"}   events: ${a.eventCount}`, `     description: ${a.description.trim()}`];
  for (const e of a.entities) out.push(`     entity ${e.type}: ${Object.entries(e.identifiers).map(([k, v]) => `${k}=${v}`).join(", ")}`);
  for (const [k, v] of Object.entries(a.customDetails)) out.push(`     ${k}: ${v.join(", ")}`);
  return out;
}
