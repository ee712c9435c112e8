// Diagnostic output formats shared by `scac lint`, `scac test` and `scac deploy`.
import type { Diagnostic } from "../diagnostics.js";
import { formatAzureDevops } from "./azure-devops.js";
import { formatGithub } from "./github.js";
import { formatJson } from "./json.js";
import { formatSarif } from "./sarif.js";
import { formatText } from "./text.js";
import type { FormatOptions, OutputFormat } from "./types.js";

export type { FormatOptions, OutputFormat, RuleInfo } from "./types.js";
export { OUTPUT_FORMATS } from "./types.js";
export { formatAzureDevops, formatGithub, formatJson, formatSarif, formatText };
export { sarifLog, sarifUri, SARIF_SCHEMA } from "./sarif.js";

export function formatDiagnostics(format: OutputFormat, diags: readonly Diagnostic[], opts: FormatOptions = {}): string {
  switch (format) {
    case "text": return formatText(diags, opts);
    case "json": return formatJson(diags, opts);
    case "sarif": return formatSarif(diags, opts);
    case "github": return formatGithub(diags);
    case "azure-devops": return formatAzureDevops(diags);
  }
}

/** The CI whose annotation commands should accompany the chosen output, detected from the environment. */
export function ciAnnotationFormat(env: NodeJS.ProcessEnv = process.env): "github" | "azure-devops" | undefined {
  if (env.GITHUB_ACTIONS === "true") return "github";
  if (env.TF_BUILD?.toLowerCase() === "true") return "azure-devops";
  return undefined;
}
