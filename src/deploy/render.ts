// Plan and apply results as text (terminal), JSON (machines) and Markdown (PR comments). All render the same
// Plan value; the JSON shape is versioned (formatVersion) apart from the internal structs.
import type { Diagnostic } from "../diagnostics.js";
import type { WorkspaceResult } from "./apply.js";
import type { FieldDiff, Json } from "./normalize.js";
import { ACTIONS, type Action, type Change, type Plan, type WorkspacePlan } from "./plan.js";

export type Format = "text" | "json" | "markdown";

type Summary = Record<Action, number>;

export function summarize(w: WorkspacePlan): Summary {
  const s = Object.fromEntries(ACTIONS.map((a) => [a, 0])) as Summary;
  for (const c of w.changes) s[c.action]++;
  return s;
}

export function hasChanges(plan: Plan): boolean {
  return plan.workspaces.some((w) => w.changes.some((c) => c.action !== "unchanged"));
}

/** The JSON document: {"formatVersion":1,"workspaces":[{"name","changes":[{"action","kind","id","name","diff"?}]}]}. */
export function planJson(plan: Plan, results?: WorkspaceResult[]): unknown {
  return {
    formatVersion: plan.formatVersion,
    prune: plan.prune,
    workspaces: plan.workspaces.map((w) => {
      const r = results?.find((x) => x.name === w.name);
      return {
        name: w.name,
        complete: w.complete,
        summary: summarize(w),
        changes: w.changes.map((c) => changeJson(c)),
        diagnostics: [...w.diagnostics, ...(r?.diagnostics ?? [])],
        ...(r ? { result: { created: r.created, updated: r.updated, corrected: r.corrected, deleted: r.deleted, unchanged: r.unchanged, failed: r.failed } } : {}),
      };
    }),
  };
}

function changeJson(c: Change): Record<string, unknown> {
  const o: Record<string, unknown> = { action: c.action, kind: c.kind, id: c.id, name: c.name };
  if (c.file) o.file = c.file;
  if (c.reason) o.reason = c.reason;
  if (c.blocked) o.blocked = c.blocked;
  if (c.diff && c.diff.length) o.diff = c.diff;
  return o;
}

const SYMBOL: Record<Action, string> = { create: "+", update: "~", drift: "!", delete: "-", unchanged: "=" };

function counts(s: Summary): string {
  return `${s.create} to create, ${s.update} to update, ${s.drift} drifted, ${s.delete} to delete, ${s.unchanged} unchanged`;
}

function short(v: Json | undefined): string {
  if (v === undefined) return "(absent)";
  const s = JSON.stringify(v);
  return s.length > 100 ? `${s.slice(0, 97)}...` : s;
}

/** Line diff of two texts (LCS; queries are short), as "-"/"+" lines with two lines of context. */
export function textDiff(before: string, after: string): string[] {
  const a = before.split("\n"), b = after.split("\n");
  const n = a.length, m = b.length;
  const L: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) L[i]![j] = a[i] === b[j] ? L[i + 1]![j + 1]! + 1 : Math.max(L[i + 1]![j]!, L[i]![j + 1]!);
  const ops: [string, string][] = [];
  let i = 0, j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) { ops.push([" ", a[i]!]); i++; j++; }
    else if (i < n && (j >= m || L[i + 1]![j]! >= L[i]![j + 1]!)) { ops.push(["-", a[i]!]); i++; }
    else { ops.push(["+", b[j]!]); j++; }
  }
  const keep = ops.map((o, k) => o[0] !== " " || ops.slice(Math.max(0, k - 2), k + 3).some((x) => x[0] !== " "));
  const out: string[] = [];
  ops.forEach((o, k) => {
    if (keep[k]) out.push(`${o[0]} ${o[1]}`);
    else if (k > 0 && keep[k - 1]) out.push("  …");
  });
  return out;
}

/** A field diff as lines; multi-line strings (queries) become a line diff, indented by `textIndent`. */
function diffLines(d: FieldDiff, indent: string, textIndent = `${indent}  `): string[] {
  const by = d.by ? `  (${d.by})` : "";
  if (typeof d.before === "string" && typeof d.after === "string" && (d.before.includes("\n") || d.after.includes("\n"))) {
    return [`${indent}${d.path}:${by}`, ...textDiff(d.before, d.after).map((l) => `${textIndent}${l}`)];
  }
  return [`${indent}${d.path}: ${short(d.before)} → ${short(d.after)}${by}`];
}

export function renderText(plan: Plan, opts: { verbose?: boolean } = {}): string {
  const lines: string[] = [];
  let any = false;
  for (const w of plan.workspaces) {
    if (!w.complete) {
      lines.push(`${w.name}: could not be planned (see errors)`);
      continue;
    }
    const s = summarize(w);
    const changed = w.changes.filter((c) => c.action !== "unchanged");
    if (!changed.length) lines.push(`${w.name}: no changes (${s.unchanged} unchanged)`);
    else {
      any = true;
      lines.push(`${w.name}: ${counts(s)}`);
    }
    if (!changed.length && !opts.verbose) continue;
    for (const c of opts.verbose ? w.changes : changed) {
      lines.push(`  ${SYMBOL[c.action]} ${c.action.padEnd(9)} ${c.kind.padEnd(13)} ${c.name} [${c.id}]${c.reason ? ` — ${c.reason}` : ""}${c.blocked ? ` — BLOCKED: ${c.blocked}` : ""}`);
      for (const d of c.diff ?? []) lines.push(...diffLines(d, "      "));
    }
  }
  const total = plan.workspaces.reduce((acc, w) => {
    const s = summarize(w);
    for (const a of ACTIONS) acc[a] += s[a];
    return acc;
  }, Object.fromEntries(ACTIONS.map((a) => [a, 0])) as Summary);
  lines.push("");
  lines.push(any ? `Plan: ${counts(total)} across ${plan.workspaces.length} workspace(s).` : `No changes. ${plan.workspaces.length} workspace(s) match the content.`);
  return lines.join("\n");
}

function mdCell(s: string): string {
  return s.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

export function renderMarkdown(plan: Plan): string {
  const out: string[] = ["## scac plan", ""];
  if (!hasChanges(plan)) out.push(`No changes: ${plan.workspaces.length} workspace(s) match the content.`, "");
  for (const w of plan.workspaces) {
    const s = summarize(w);
    out.push(`### ${w.name}`, "");
    if (!w.complete) { out.push("⚠️ could not be planned: " + w.diagnostics.map((d) => mdCell(d.message)).join("; "), ""); continue; }
    out.push(`${counts(s)}`, "");
    const changed = w.changes.filter((c) => c.action !== "unchanged");
    if (!changed.length) continue;
    out.push("| | action | kind | name | id | details |", "|---|---|---|---|---|---|");
    for (const c of changed) {
      const details = [c.reason, c.blocked && `**blocked**: ${c.blocked}`, c.diff?.length ? `${c.diff.length} field(s)` : undefined].filter(Boolean).join("; ");
      out.push(`| ${SYMBOL[c.action]} | ${c.action} | ${c.kind} | ${mdCell(c.name)} | \`${c.id}\` | ${mdCell(details)} |`);
    }
    out.push("");
    for (const c of changed.filter((x) => x.diff?.length)) {
      out.push(`<details><summary>${c.action}: ${mdCell(c.name)}</summary>`, "", "```diff", ...c.diff!.flatMap((d) => diffLines(d, "", "")), "```", "", "</details>", "");
    }
  }
  const diags = plan.workspaces.flatMap((w) => w.diagnostics).filter((d) => d.severity !== "info");
  if (diags.length) out.push("#### Problems", "", ...diags.map((d) => `- **${d.severity}** \`${d.rule}\` ${mdCell(d.message)}`), "");
  return out.join("\n");
}

export function renderPlan(plan: Plan, format: Format, opts: { verbose?: boolean } = {}): string {
  if (format === "json") return JSON.stringify(planJson(plan), null, 2);
  if (format === "markdown") return renderMarkdown(plan);
  return renderText(plan, opts);
}

export function renderResults(results: WorkspaceResult[]): string {
  const lines = results.map((r) => `${r.name}: ${r.created} created, ${r.updated} updated, ${r.corrected} drift corrected, ${r.deleted} deleted, ${r.unchanged} unchanged, ${r.failed} failed`);
  const failed = results.filter((r) => r.failed > 0).length;
  lines.push("", failed ? `Deploy finished with failures in ${failed} of ${results.length} workspace(s).` : `Deploy complete: ${results.length} workspace(s).`);
  return lines.join("\n");
}

export function allDiagnostics(plan: Plan, results: WorkspaceResult[] = []): Diagnostic[] {
  return [...plan.workspaces.flatMap((w) => w.diagnostics), ...results.flatMap((r) => r.diagnostics)];
}
