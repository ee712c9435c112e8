// Runs the rule set over loaded content: item rules, then repository rules, then configuration (severity
// overrides, disabled rules) and inline suppressions. Rules never see configuration.
import type { ContentItem, Position } from "../content/model.js";
import type { Diagnostic } from "../diagnostics.js";
import type { SchemaSet } from "../schemas/model.js";
import type { LintConfig } from "./config.js";
import type { KqlFacts } from "./facts.js";
import { isPosition, type At, type ItemContext, type RepoItem, type Rule } from "./rule.js";
import { ALL_RULES, RULES_BY_ID } from "./rules/index.js";
import { applySuppressions, parseSuppressions } from "./suppress.js";

export interface LoadedFile {
  file: string;
  text: string;
  item?: ContentItem;
  /** Findings of the content loader (YAML syntax, duplicate keys…). */
  diagnostics: Diagnostic[];
  facts?: KqlFacts;
  /** Set when the file's item-level results came from the cache (item and facts are then absent). */
  cached?: CachedFileResult;
}


/** Item-level result of one file, reusable while the file, schemas, config and scac are unchanged. */
export interface CachedFileResult {
  diagnostics: Diagnostic[];
  repo?: { kind: ContentItem["kind"]; id: string; name: string; idAt: Position; nameAt: Position };
}

function positionOf(item: RepoItem, at: At): Position {
  return isPosition(at) ? at : item.positionOf(at);
}

/** Loader findings plus every item rule, for one file (before suppressions and configuration). */
export function runItemRules(f: LoadedFile, schemas: SchemaSet, config: LintConfig, rules: readonly Rule[] = ALL_RULES): CachedFileResult {
  const diagnostics = [...f.diagnostics];
  if (!f.item) return { diagnostics };
  const item = f.item;
  for (const rule of rules) {
    if (rule.scope !== "item" || config.rules[rule.id] === "off") continue;
    const report = (at: At, message: string) => {
      const p = positionOf(item, at);
      diagnostics.push({ file: item.file, line: p.line, column: p.column, rule: rule.id, severity: rule.severity, message });
    };
    try {
      rule.check({ item, text: f.text, schemas, kql: f.facts, report } satisfies ItemContext);
    } catch (e) {
      // A rule bug must not hide every other finding; report it where the user can see it.
      diagnostics.push({ file: f.file, line: 0, column: 0, rule: rule.id, severity: "error", message: `internal error in rule ${rule.id}: ${(e as Error).message}` });
    }
  }
  return { diagnostics, repo: { kind: item.kind, id: item.id, name: item.name, idAt: item.positionOf(["id"]), nameAt: item.positionOf(["name"]) } };
}

function repoItem(file: string, r: NonNullable<CachedFileResult["repo"]>): RepoItem {
  return { file, kind: r.kind, id: r.id, name: r.name, positionOf: (path) => (path[0] === "name" ? r.nameAt : r.idAt) };
}

export function runRules(files: readonly LoadedFile[], schemas: SchemaSet, config: LintConfig, rules: readonly Rule[] = ALL_RULES): Diagnostic[] {
  const results = new Map(files.map((f) => [f.file, f.cached ?? runItemRules(f, schemas, config, rules)]));
  const byFile = new Map([...results].map(([file, r]) => [file, [...r.diagnostics]]));
  const items = [...results].flatMap(([file, r]) => (r.repo ? [repoItem(file, r.repo)] : []));
  for (const rule of rules) {
    if (rule.scope !== "repo" || config.rules[rule.id] === "off") continue;
    rule.check(items, (item, at, message) => {
      const p = positionOf(item, at);
      byFile.get(item.file)!.push({ file: item.file, line: p.line, column: p.column, rule: rule.id, severity: rule.severity, message });
    });
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
