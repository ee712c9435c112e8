// GitHub Actions workflow commands: one `::error|warning|notice file=…,line=…,col=…,title=…::message` per
// diagnostic, which the runner turns into annotations on the pull request.
// https://docs.github.com/actions/reference/workflow-commands-for-github-actions
import type { Diagnostic } from "../diagnostics.js";

const LEVEL = { error: "error", warning: "warning", info: "notice" } as const;

function escapeData(s: string): string {
  return s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}
function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

export function formatGithub(diags: readonly Diagnostic[]): string {
  let out = "";
  for (const d of diags) {
    const props: string[] = [];
    if (d.file) props.push(`file=${escapeProperty(d.file.replace(/\\/g, "/"))}`);
    if (d.line > 0) props.push(`line=${d.line}`);
    if (d.line > 0 && d.column > 0) props.push(`col=${d.column}`);
    if (d.endLine !== undefined) props.push(`endLine=${d.endLine}`);
    if (d.endColumn !== undefined) props.push(`endColumn=${d.endColumn}`);
    props.push(`title=${escapeProperty(d.rule)}`);
    out += `::${LEVEL[d.severity]} ${props.join(",")}::${escapeData(`${d.message} [${d.rule}]`)}\n`;
  }
  return out;
}
