// `scac pull`: adopt a live workspace's analytics rules (Scheduled, NRT) and hunting queries as content YAML,
// plus a failing test skeleton per item. Each written item is then run back through deploy's own mapping
// (desiredForWorkspace + normalizeBody) and compared with the live body, so any field the next plan would show
// as a change is reported now, by name, instead of being discovered in a deploy.
import { mkdirSync, writeFileSync, existsSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { parseContent } from "../content/loader.js";
import type { Diagnostic } from "../diagnostics.js";
import type { ClientOptions } from "../deploy/arm-client.js";
import { ArmRequestError, ArmTransportError } from "../deploy/arm-client.js";
import { alertRulesPath, savedSearchesPath } from "../deploy/arm-paths.js";
import { selectContent } from "../deploy/catalog.js";
import { desiredForWorkspace } from "../deploy/desired.js";
import { diffNormalized, normalizeBody, type FieldDiff } from "../deploy/normalize.js";
import { alertRuleToYaml, isHuntingSearch, savedSearchToYaml, type Converted } from "./convert.js";
import { existingIds, place, renderYaml, testSkeleton } from "./files.js";
import { openWorkspace } from "./workspace.js";
import type { WorkspacesConfig, WorkspaceTarget } from "../deploy/workspaces.js";

export interface PullOptions {
  workspacesFile: string;
  workspace: string;
  /** Content directory to write into (analytics/ and hunting/ below it). */
  output: string;
  overwrite: boolean;
  /** Test skeletons pin `now` to the start of this hour. Default: the clock. */
  now?: Date;
  client?: ClientOptions;
}

export interface PulledItem {
  kind: Converted["kind"];
  id: string;
  name: string;
  /** Absolute path of the content file. */
  file: string;
  status: "written" | "overwritten" | "kept";
  testFile?: string;
  /** Fields the next plan would change (live → what deploy sends), empty when the round trip is exact. */
  roundTrip: FieldDiff[];
}

export interface PullResult {
  items: PulledItem[];
  skipped: { id: string; name: string; reason: string }[];
  diagnostics: Diagnostic[];
  /** True when the workspace could not be read (nothing was written). */
  failed: boolean;
}

export async function pull(opts: PullOptions): Promise<PullResult> {
  const result: PullResult = { items: [], skipped: [], diagnostics: [], failed: false };
  const opened = await openWorkspace(opts.workspacesFile, opts.workspace, opts.client);
  result.diagnostics.push(...opened.diagnostics);
  if (!opened.value) return { ...result, failed: true };
  const { target, config, client } = opened.value;
  try {
    let rules: unknown[], searches: unknown[];
    try {
      rules = await client.list(alertRulesPath(target), target.apiVersions.alertRules);
      searches = await client.list(savedSearchesPath(target), target.apiVersions.savedSearches);
    } catch (e) {
      if (!(e instanceof ArmRequestError || e instanceof ArmTransportError)) throw e;
      const what = e instanceof ArmRequestError ? `HTTP ${e.status} ${e.code}: ${e.message}` : e.message;
      result.diagnostics.push({ file: config.file, line: 0, column: 0, rule: "pull/read", severity: "error", message: `workspace '${target.name}': cannot read ${target.resourceGroup}/${target.workspace} at ${target.endpoint}: ${what}` });
      return { ...result, failed: true };
    }
    const live = new Map<string, Record<string, unknown>>();
    const converted: Converted[] = [];
    for (const r of rules as Record<string, unknown>[]) {
      const c = alertRuleToYaml(r);
      if (Object.keys(c.data).length === 0) {
        result.skipped.push({ id: c.id, name: c.name, reason: c.notes.join("; ") });
        continue;
      }
      converted.push(c);
      live.set(`analytics/${c.id.toLowerCase()}`, r);
    }
    for (const s of searches as Record<string, unknown>[]) {
      if (!isHuntingSearch(s)) continue;
      const c = savedSearchToYaml(s);
      converted.push(c);
      live.set(`hunting/${c.id.toLowerCase()}`, s);
    }
    const out = resolve(opts.output);
    const existing = existingIds(out);
    for (const sub of ["analytics", "hunting"] as const) {
      for (const p of place(converted.filter((c) => c.kind === sub), out, sub, existing)) {
        const file = join(out, p.rel);
        const item: PulledItem = { kind: p.item.kind, id: p.item.id, name: p.item.name, file, status: p.exists ? (opts.overwrite ? "overwritten" : "kept") : "written", roundTrip: [] };
        const text = renderYaml(p.item.data, [`Adopted from workspace '${target.name}' (${target.resourceGroup}/${target.workspace}) by scac pull.`]);
        if (item.status !== "kept") {
          mkdirSync(dirname(file), { recursive: true });
          writeFileSync(file, text);
          const testFile = file.replace(/\.ya?ml$/i, ".test.yaml");
          if (!existsSync(testFile)) {
            writeFileSync(testFile, testSkeleton(p.item, String(p.item.data.query ?? ""), target.name, opts.now ?? new Date()));
            item.testFile = testFile;
          }
        } else {
          result.diagnostics.push({ file: display(file), line: 1, column: 1, rule: "pull/exists", severity: "info", message: `already holds ${p.item.id}; left unchanged (use --overwrite to replace it with the workspace's version)` });
        }
        for (const n of p.item.notes) result.diagnostics.push({ file: display(file), line: 1, column: 1, rule: "pull/note", severity: "info", message: n });
        if (item.status !== "kept") {
          item.roundTrip = roundTrip(text, file, live.get(`${sub}/${p.item.id.toLowerCase()}`)!, target, config, result.diagnostics);
        }
        result.items.push(item);
      }
    }
    for (const s of result.skipped) {
      result.diagnostics.push({ file: "", line: 0, column: 0, rule: "pull/skipped", severity: "info", message: `workspace '${target.name}': rule ${s.name} [${s.id}]: ${s.reason}` });
    }
    return result;
  } finally {
    await opened.value.close();
  }
}

/** What the next plan will say about a pulled item: diff between the live body and the body deploy would send. */
function roundTrip(text: string, file: string, liveBody: Record<string, unknown>, target: WorkspaceTarget, config: WorkspacesConfig, diagnostics: Diagnostic[]): FieldDiff[] {
  const shown = display(file);
  const parsed = parseContent(text, shown);
  if (!parsed.item) {
    diagnostics.push({ file: shown, line: 1, column: 1, rule: "pull/round-trip", severity: "error", message: `the written YAML does not load back: ${parsed.diagnostics.map((d) => d.message).join("; ")}` });
    return [];
  }
  const relPath = relative(config.baseDir, file).split(sep).join("/");
  const catalogItem = { item: parsed.item, relPath, tags: [] };
  if (selectContent([catalogItem], target).length === 0) {
    diagnostics.push({ file: shown, line: 1, column: 1, rule: "pull/not-selected", severity: "warning", message: `workspace '${target.name}' does not select ${relPath} (content include/exclude/tags in ${config.file}); plan will not manage it there` });
  }
  const d = desiredForWorkspace([catalogItem], target, config);
  const r = d.resources[0];
  if (!r) {
    diagnostics.push({ file: shown, line: 1, column: 1, rule: "pull/round-trip", severity: "warning", message: `deploy cannot build this item: ${d.diagnostics.filter((x) => x.severity === "error").map((x) => x.message).join("; ")}` });
    return [];
  }
  const diff = diffNormalized(normalizeBody(r.kind, liveBody), normalizeBody(r.kind, r.body));
  if (diff.length) {
    const show = (v: unknown) => (v === undefined ? "(absent)" : JSON.stringify(v).slice(0, 80));
    diagnostics.push({ file: shown, line: 1, column: 1, rule: "pull/round-trip", severity: "warning",
      message: `the first deploy will change ${parsed.item.name} in '${target.name}': ${diff.map((x) => `${x.path}: ${show(x.before)} → ${show(x.after)}`).join("; ")}` });
  }
  return diff;
}

function display(p: string): string {
  const r = relative(process.cwd(), p);
  return r && !r.startsWith("..") ? r : p;
}
