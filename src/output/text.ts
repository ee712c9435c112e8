// Human output: findings grouped by file, each with a code frame of the offending line, then a summary.
import type { Diagnostic } from "../diagnostics.js";
import type { FormatOptions } from "./types.js";

const CONTEXT_LINES = 1;

export function formatText(diags: readonly Diagnostic[], opts: FormatOptions = {}): string {
  const byFile = new Map<string, Diagnostic[]>();
  for (const d of diags) {
    const list = byFile.get(d.file) ?? [];
    list.push(d);
    byFile.set(d.file, list);
  }
  let out = "";
  for (const [file, list] of byFile) {
    out += `${file || "<no file>"}\n`;
    const text = file ? opts.source?.(file) : undefined;
    const lines = text?.split(/\r?\n/);
    for (const d of list) {
      const pos = d.line > 0 ? `${d.line}:${d.column}` : "-";
      out += `  ${pos.padEnd(8)} ${d.severity.padEnd(7)} ${d.message}  ${d.rule}\n`;
      if (lines && d.line > 0 && d.line <= lines.length) out += codeFrame(lines, d);
    }
    out += "\n";
  }
  const errors = diags.filter((d) => d.severity === "error").length;
  const warnings = diags.filter((d) => d.severity === "warning").length;
  const infos = diags.length - errors - warnings;
  const files = opts.files !== undefined ? ` in ${opts.files} file${opts.files === 1 ? "" : "s"}` : "";
  out += diags.length === 0
    ? `No problems${files}.\n`
    : `${diags.length} problem${diags.length === 1 ? "" : "s"} (${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}${infos ? `, ${infos} info` : ""})${files}.\n`;
  return out;
}

function codeFrame(lines: string[], d: Diagnostic): string {
  const first = Math.max(1, d.line - CONTEXT_LINES);
  const last = Math.min(lines.length, d.line);
  const width = String(last).length;
  let out = "";
  for (let n = first; n <= last; n++) {
    const src = lines[n - 1]!.replace(/\t/g, " ");
    out += `    ${n === d.line ? ">" : " "} ${String(n).padStart(width)} | ${src}\n`;
    if (n === d.line && d.column > 0) {
      const len = d.endLine === d.line && d.endColumn && d.endColumn > d.column ? d.endColumn - d.column : 1;
      out += `      ${" ".repeat(width)} | ${" ".repeat(d.column - 1)}${"^".repeat(Math.min(len, Math.max(1, src.length - d.column + 1)))}\n`;
    }
  }
  return out;
}
