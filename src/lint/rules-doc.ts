// The README / docs rule table, generated from the rule index (a test keeps docs/lint.md in sync).
import { ALL_RULES } from "./rules/index.js";

export function ruleTableMarkdown(): string {
  const esc = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");
  const rows = ALL_RULES.map((r) => `| \`${r.id}\` | ${r.severity} | ${esc(r.description)}${r.doc ? ` ${esc(r.doc)}` : ""} |`);
  return ["| Rule | Default | What it checks |", "|---|---|---|", ...rows].join("\n") + "\n";
}
