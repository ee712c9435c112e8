// Output of `scac test`: default (human), junit (Azure DevOps PublishTestResults, GitHub summaries), github-actions
// (workflow-command annotations on the failing case's line) and json. Diagnostics (coverage gate, schema load)
// use the lint formats from src/output.
import type { Diagnostic } from "../diagnostics.js";
import { formatDiagnostics } from "../output/index.js";
import type { CaseResult } from "./model.js";

export const REPORTERS = ["default", "junit", "github-actions", "json"] as const;
export type ReporterName = (typeof REPORTERS)[number];

export interface RunSummary {
  results: CaseResult[];
  diagnostics: Diagnostic[];
  durationMs: number;
}

export function counts(results: CaseResult[]): { passed: number; failed: number; errors: number; total: number } {
  let passed = 0, failed = 0, errors = 0;
  for (const r of results) {
    if (r.status === "pass") passed++;
    else if (r.status === "fail") failed++;
    else errors++;
  }
  return { passed, failed, errors, total: results.length };
}

export function report(name: ReporterName, s: RunSummary, opts: { color?: boolean } = {}): string {
  switch (name) {
    case "default": return reportDefault(s, opts.color ?? false);
    case "junit": return reportJunit(s);
    case "github-actions": return reportGithub(s);
    case "json": return reportJson(s);
  }
}

function indent(text: string, by: string): string {
  return text.split("\n").map((l) => (l ? by + l : l)).join("\n");
}

export function reportDefault(s: RunSummary, color: boolean): string {
  const c = (code: string, t: string) => (color ? `\x1b[${code}m${t}\x1b[0m` : t);
  const out: string[] = [];
  let file = "";
  for (const r of s.results) {
    if (r.testFile !== file) {
      file = r.testFile;
      out.push(c("1", file));
    }
    const mark = r.status === "pass" ? c("32", "✓") : c("31", r.status === "fail" ? "✗" : "!");
    out.push(`  ${mark} ${r.title} ${c("2", `(${Math.round(r.durationMs)} ms)`)}`);
  }
  const bad = s.results.filter((r) => r.status !== "pass");
  if (bad.length) {
    out.push("", c("1;31", `Failures (${bad.length}):`));
    for (const r of bad) {
      out.push("", c("1", `${r.status === "fail" ? "FAIL" : "ERROR"} ${r.title}`), c("2", `  at ${r.testFile}:${r.line}:${r.column}`), indent(r.message ?? "", "  "));
    }
  }
  if (s.diagnostics.length) out.push("", formatDiagnostics("text", s.diagnostics).trimEnd());
  const n = counts(s.results);
  const parts = [c("32", `${n.passed} passed`)];
  if (n.failed) parts.push(c("31", `${n.failed} failed`));
  if (n.errors) parts.push(c("31", `${n.errors} errors`));
  const gate = s.diagnostics.filter((d) => d.severity === "error").length;
  if (gate) parts.push(c("31", `${gate} diagnostic error${gate === 1 ? "" : "s"}`));
  out.push("", `Tests: ${parts.join(", ")} (${n.total} cases) in ${(s.durationMs / 1000).toFixed(2)} s`);
  return out.join("\n") + "\n";
}

function xml(s: string): string {
  // XML 1.0 forbids most control characters even when escaped; drop them.
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, "").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");
}

/**
 * JUnit XML as Azure DevOps' PublishTestResults@2 (JUnit) and common GitHub summary actions read it: one
 * <testsuite> per test file, <testcase classname=content name=`content › case`>, <failure> for failed
 * expectations, <error> for cases that could not run. Coverage-gate diagnostics are a suite of their own.
 */
export function reportJunit(s: RunSummary): string {
  const byFile = new Map<string, CaseResult[]>();
  for (const r of s.results) {
    const list = byFile.get(r.testFile) ?? [];
    list.push(r);
    byFile.set(r.testFile, list);
  }
  const n = counts(s.results);
  const gate = s.diagnostics.filter((d) => d.severity === "error");
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>'];
  lines.push(`<testsuites name="scac content tests" tests="${n.total + gate.length}" failures="${n.failed + gate.length}" errors="${n.errors}" time="${(s.durationMs / 1000).toFixed(3)}">`);
  for (const [file, list] of byFile) {
    const k = counts(list);
    const time = list.reduce((a, r) => a + r.durationMs, 0) / 1000;
    lines.push(`  <testsuite name="${xml(file)}" tests="${k.total}" failures="${k.failed}" errors="${k.errors}" skipped="0" time="${time.toFixed(3)}">`);
    for (const r of list) {
      // name before classname: simple attribute scanners (e.g. scripts/junit-summary.mjs) find `name="` first.
      const open = `    <testcase name="${xml(r.title)}" classname="${xml(r.contentName)}" file="${xml(r.testFile)}" line="${r.line}" time="${(r.durationMs / 1000).toFixed(3)}"`;
      if (r.status === "pass") {
        lines.push(`${open}/>`);
      } else {
        const tag = r.status === "fail" ? "failure" : "error";
        const msg = (r.message ?? "").split("\n")[0]!;
        lines.push(`${open}>`, `      <${tag} message="${xml(msg)}" type="${tag === "failure" ? "ExpectationFailed" : "CaseError"}">${xml(r.message ?? "")}</${tag}>`, "    </testcase>");
      }
    }
    lines.push("  </testsuite>");
  }
  if (gate.length) {
    lines.push(`  <testsuite name="coverage gate" tests="${gate.length}" failures="${gate.length}" errors="0" skipped="0" time="0">`);
    for (const d of gate) {
      lines.push(`    <testcase name="${xml(`${d.file} › ${d.rule}`)}" classname="coverage gate" file="${xml(d.file)}" line="${d.line}" time="0">`, `      <failure message="${xml(d.message)}" type="${xml(d.rule)}">${xml(d.message)}</failure>`, "    </testcase>");
    }
    lines.push("  </testsuite>");
  }
  lines.push("</testsuites>");
  return lines.join("\n") + "\n";
}

/** Failed cases as error annotations on the case's line in the test file, then the plain summary. */
export function reportGithub(s: RunSummary): string {
  const failed: Diagnostic[] = s.results
    .filter((r) => r.status !== "pass")
    .map((r) => ({ file: r.testFile, line: r.line, column: r.column, rule: r.status === "fail" ? "content-test-failed" : "content-test-error", severity: "error", message: `${r.title}\n${r.message ?? ""}` }));
  return formatDiagnostics("github", [...failed, ...s.diagnostics]) + reportDefault(s, false);
}

export function reportJson(s: RunSummary): string {
  const n = counts(s.results);
  return JSON.stringify({
    summary: { ...n, diagnostics: s.diagnostics.length, durationMs: Math.round(s.durationMs) },
    results: s.results.map((r) => ({
      title: r.title, content: r.contentName, case: r.caseName, file: r.testFile, line: r.line, column: r.column,
      kind: r.kind ?? null, status: r.status, durationMs: Math.round(r.durationMs * 100) / 100, ...(r.message ? { message: r.message } : {}),
    })),
    diagnostics: s.diagnostics,
  }, null, 2) + "\n";
}
