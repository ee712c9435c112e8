// A lint rule: stable id, default severity, one-line description and a longer doc (both generate the README
// table and SARIF help), and a check. Rules only report; severity overrides and suppressions are applied by
// the engine, never inside a rule.
import type { Severity } from "../diagnostics.js";
import type { ContentItem, Position } from "../content/model.js";
import type { SchemaSet } from "../schemas/model.js";
import type { KqlFacts } from "./facts.js";

export type Path = readonly (string | number)[];
/** Where a finding points: a YAML node path or an explicit file position. */
export type At = Path | Position;

export interface RuleMeta {
  id: string;
  severity: Severity;
  /** One line: what the rule checks. */
  description: string;
  /** Why it matters / how to fix; Markdown. */
  doc?: string;
}

export interface ItemContext {
  item: ContentItem;
  /** The file's text as read. */
  text: string;
  schemas: SchemaSet;
  /** KQL analysis facts (undefined when the item has no query). */
  kql: KqlFacts | undefined;
  report(at: At, message: string): void;
}

export interface ItemRule extends RuleMeta {
  scope: "item";
  check(ctx: ItemContext): void;
}

/** What repository rules see of each item (also available for files whose results came from the cache). */
export type RepoItem = Pick<ContentItem, "file" | "kind" | "id" | "name" | "positionOf">;

export interface RepoRule extends RuleMeta {
  scope: "repo";
  check(items: readonly RepoItem[], report: (item: RepoItem, at: At, message: string) => void): void;
}

/** Findings produced outside the rule set (content loader, engine); documented like rules. */
export interface BuiltinRule extends RuleMeta {
  scope: "builtin";
}

export type Rule = ItemRule | RepoRule | BuiltinRule;

export function defineRule<R extends Rule>(rule: R): R {
  return rule;
}

export function isPosition(at: At): at is Position {
  return !Array.isArray(at);
}
