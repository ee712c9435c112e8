// SARIF 2.1.0 for GitHub code scanning (upload with github/codeql-action/upload-sarif): one run, the rules
// that fired (with help), results with relative URIs and 1-based regions.
// https://docs.github.com/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning
import { isAbsolute, relative } from "node:path";
import type { Diagnostic } from "../diagnostics.js";
import type { FormatOptions, RuleInfo } from "./types.js";

export const SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
const LEVEL = { error: "error", warning: "warning", info: "note" } as const;

/** A repository-relative, percent-encoded, forward-slash URI (what code scanning matches against the tree). */
export function sarifUri(file: string, root: string): string {
  const rel = isAbsolute(file) ? relative(root, file) : file;
  return rel.replace(/\\/g, "/").replace(/^\.\//, "").split("/").map(encodeURIComponent).join("/");
}

export function sarifLog(diags: readonly Diagnostic[], opts: FormatOptions = {}): Record<string, unknown> {
  const root = opts.root ?? process.cwd();
  const ruleIds = [...new Set(diags.map((d) => d.rule))].sort();
  const ruleIndex = new Map(ruleIds.map((id, i) => [id, i]));
  const rules = ruleIds.map((id) => sarifRule(opts.rules?.get(id) ?? { id, description: id }));
  const results = diags.map((d) => {
    const r: Record<string, unknown> = {
      ruleId: d.rule,
      ruleIndex: ruleIndex.get(d.rule),
      level: LEVEL[d.severity],
      message: { text: d.message },
    };
    if (d.file) {
      const region: Record<string, number> = { startLine: Math.max(1, d.line) };
      if (d.line > 0 && d.column > 0) region.startColumn = d.column;
      if (d.endLine !== undefined && d.endLine >= region.startLine!) region.endLine = d.endLine;
      if (d.endColumn !== undefined && d.endLine !== undefined) region.endColumn = d.endColumn;
      r.locations = [{ physicalLocation: { artifactLocation: { uri: sarifUri(d.file, root), uriBaseId: "%SRCROOT%" }, region } }];
    }
    return r;
  });
  const tool = opts.tool ?? { name: "scac", version: "0.1.0" };
  const driver: Record<string, unknown> = { name: tool.name, version: tool.version, semanticVersion: tool.version, rules };
  if (tool.informationUri) driver.informationUri = tool.informationUri;
  return {
    $schema: SARIF_SCHEMA,
    version: "2.1.0",
    runs: [{
      tool: { driver },
      originalUriBaseIds: { "%SRCROOT%": { uri: pathToDirUri(root) } },
      columnKind: "unicodeCodePoints",
      results,
    }],
  };
}

function sarifRule(r: RuleInfo): Record<string, unknown> {
  const rule: Record<string, unknown> = {
    id: r.id,
    name: r.id.split(/[^A-Za-z0-9]+/).filter(Boolean).map((w) => w[0]!.toUpperCase() + w.slice(1)).join(""),
    shortDescription: { text: r.description },
    fullDescription: { text: r.help ?? r.description },
    help: { text: r.help ?? r.description, markdown: r.help ?? r.description },
  };
  if (r.defaultSeverity) rule.defaultConfiguration = { level: LEVEL[r.defaultSeverity] };
  if (r.helpUri) rule.helpUri = r.helpUri;
  return rule;
}

function pathToDirUri(dir: string): string {
  const p = dir.replace(/\\/g, "/");
  return `file://${p.startsWith("/") ? "" : "/"}${p.split("/").map(encodeURIComponent).join("/")}${p.endsWith("/") ? "" : "/"}`;
}

export function formatSarif(diags: readonly Diagnostic[], opts: FormatOptions = {}): string {
  return JSON.stringify(sarifLog(diags, opts), null, 2) + "\n";
}
