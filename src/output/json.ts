// `--format json`: {"files": n, "diagnostics": [...]} with the Diagnostic fields in a fixed order.
import type { Diagnostic } from "../diagnostics.js";
import type { FormatOptions } from "./types.js";

export function formatJson(diags: readonly Diagnostic[], opts: FormatOptions = {}): string {
  const diagnostics = diags.map((d) => {
    const o: Record<string, unknown> = { file: d.file, line: d.line, column: d.column, rule: d.rule, severity: d.severity, message: d.message };
    if (d.endLine !== undefined) o.endLine = d.endLine;
    if (d.endColumn !== undefined) o.endColumn = d.endColumn;
    return o;
  });
  return JSON.stringify({ files: opts.files ?? new Set(diags.map((d) => d.file)).size, diagnostics }, null, 2) + "\n";
}
