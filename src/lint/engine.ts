// Runs the rule set over loaded content: item rules, then repository rules, then configuration (severity
// overrides, disabled rules) and inline suppressions. Rules never see configuration.
import type { ContentItem, Position } from "../content/model.js";
import type { Diagnostic } from "../diagnostics.js";
import type { SchemaSet } from "../schemas/model.js";
import type { LintConfig } from "./config.js";
import type { KqlFacts } from "./facts.js";
import { isPosition, type At, type ItemContext, type Rule } from "./rule.js";
import { ALL_RULES, RULES_BY_ID } from "./rules/index.js";
import { applySuppressions, parseSuppressions } from "./suppress.js";

export interface LoadedFile {
  file: string;
  text: string;
  item?: ContentItem;
  /** Findings of the content loader (YAML syntax, duplicate keys…). */
  diagnostics: Diagnostic[];
  facts?: KqlFacts;
}

function positionOf(item: ContentItem, at: At): Position {
  return isPosition(at) ? at : item.positionOf(at);
}

export function runRules(files: readonly LoadedFile[], schemas: SchemaSet, config: LintConfig, rules: readonly Rule[] = ALL_RULES): Diagnostic[] {
  const enabled = (r: Rule) => config.rules[r.id] !== "off";
  const byFile = new Map<string, Diagnostic[]>(files.map((f) => [f.file, [...f.diagnostics]]));
  const push = (item: ContentItem, rule: Rule, at: At, message: string) => {
    const p = positionOf(item, at);
    byFile.get(item.file)!.push({ file: item.file, line: p.line, column: p.column, rule: rule.id, severity: rule.severity, message });
  };
  for (const f of files) {
    if (!f.item) continue;
    for (const rule of rules) {
      if (rule.scope !== "item" || !enabled(rule)) continue;
      const ctx: ItemContext = { item: f.item, text: f.text, schemas, kql: f.facts, report: (at, message) => push(f.item!, rule, at, message) };
      try {
        rule.check(ctx);
      } catch (e) {
        // A rule bug must not hide every other finding; report it where the user can see it.
        byFile.get(f.file)!.push({ file: f.file, line: 0, column: 0, rule: rule.id, severity: "error", message: `internal error in rule ${rule.id}: ${(e as Error).message}` });
      }
    }
  }
  const items = files.flatMap((f) => (f.item ? [f.item] : []));
  for (const rule of rules) {
    if (rule.scope === "repo" && enabled(rule)) rule.check(items, (item, at, message) => push(item, rule, at, message));
  }
  const out: Diagnostic[] = [];
  for (const f of files) {
    const diags = applySuppressions(f.file, byFile.get(f.file)!, parseSuppressions(f.text), (id) => RULES_BY_ID.has(id));
    out.push(...applyConfig(diags, config));
  }
  return out;
}

/** Severity overrides and disabled rules (also for loader and engine findings). */
export function applyConfig(diags: readonly Diagnostic[], config: LintConfig): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const d of diags) {
    const s = config.rules[d.rule];
    if (s === "off") continue;
    out.push(s ? { ...d, severity: s } : d);
  }
  return out;
}
