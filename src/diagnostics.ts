// The one diagnostic shape shared by lint, content tests and deploy. Every finding a user sees is one of these,
// so every output format (text, JSON, SARIF, CI annotations) is written once.

export type Severity = "error" | "warning" | "info";

export interface Diagnostic {
  /** Path as given by the user or relative to the working directory; "" when not tied to a file. */
  file: string;
  /** 1-based; 0 when the finding has no position (e.g. a whole-file problem). */
  line: number;
  /** 1-based; 0 when unknown. */
  column: number;
  /** Stable rule id, e.g. "yaml-syntax", "kql-semantic", "deploy-failed". */
  rule: string;
  severity: Severity;
  message: string;
  /** Optional end position for editors/SARIF regions. */
  endLine?: number;
  endColumn?: number;
}

export function diag(
  file: string,
  line: number,
  column: number,
  rule: string,
  severity: Severity,
  message: string,
): Diagnostic {
  return { file, line, column, rule, severity, message };
}

export function hasErrors(diags: readonly Diagnostic[]): boolean {
  return diags.some((d) => d.severity === "error");
}

/** Stable order: file, line, column, rule. */
export function sortDiagnostics(diags: Diagnostic[]): Diagnostic[] {
  return diags.sort(
    (a, b) =>
      a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.rule.localeCompare(b.rule),
  );
}

/** `file:line:col: severity rule: message` — the compact one-line form used in logs and errors. */
export function formatDiagnostic(d: Diagnostic): string {
  const pos = d.line > 0 ? `:${d.line}${d.column > 0 ? `:${d.column}` : ""}` : "";
  return `${d.file || "<input>"}${pos}: ${d.severity} ${d.rule}: ${d.message}`;
}
