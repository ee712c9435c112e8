// Azure Pipelines logging commands: `##vso[task.logissue type=error;sourcepath=…;linenumber=…;columnnumber=…;
// code=…]message`. Azure DevOps knows only error and warning; info findings are written as plain log lines.
// https://learn.microsoft.com/azure/devops/pipelines/scripts/logging-commands
import type { Diagnostic } from "../diagnostics.js";
import { formatDiagnostic } from "../diagnostics.js";

function escapeValue(s: string): string {
  return s.replace(/%/g, "%AZP25").replace(/;/g, "%3B").replace(/\r/g, "%0D").replace(/\n/g, "%0A").replace(/]/g, "%5D");
}
function escapeMessage(s: string): string {
  return s.replace(/%/g, "%AZP25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

export function formatAzureDevops(diags: readonly Diagnostic[]): string {
  let out = "";
  for (const d of diags) {
    if (d.severity === "info") {
      out += `${formatDiagnostic({ ...d, message: d.message.replace(/\r?\n/g, " ") })}\n`;
      continue;
    }
    const props = [`type=${d.severity}`];
    if (d.file) props.push(`sourcepath=${escapeValue(d.file.replace(/\\/g, "/"))}`);
    if (d.line > 0) props.push(`linenumber=${d.line}`);
    if (d.line > 0 && d.column > 0) props.push(`columnnumber=${d.column}`);
    props.push(`code=${escapeValue(d.rule)}`);
    out += `##vso[task.logissue ${props.join(";")}]${escapeMessage(d.message)}\n`;
  }
  return out;
}
