// MITRE ATT&CK: tactics from Sentinel's list, technique id format, known techniques (ATT&CK v18) and
// technique ↔ tactic consistency.
import { attackData, SENTINEL_TACTICS } from "../data.js";
import { defineRule } from "../rule.js";
import { didYouMean } from "../util.js";

const TECHNIQUE_RE = /^T\d{4}(\.\d{3})?$/;

export const tacticValid = defineRule({
  scope: "item", id: "tactic-valid", severity: "error",
  description: "Every tactic is one of Sentinel's (PascalCase, no spaces: InitialAccess, CommandAndControl, …).",
  check(ctx) {
    const t = ctx.item.data.tactics;
    if (!Array.isArray(t)) return;
    t.forEach((v, i) => {
      if (typeof v === "string" && !SENTINEL_TACTICS.includes(v)) {
        const squashed = v.replace(/[\s_-]+(\w)/g, (_, c: string) => c.toUpperCase()).replace(/^\w/, (c) => c.toUpperCase());
        const hint = SENTINEL_TACTICS.includes(squashed) ? ` (did you mean '${squashed}'?)` : didYouMean(v, SENTINEL_TACTICS);
        ctx.report(["tactics", i], `'${v}' is not a Sentinel tactic${hint}`);
      }
    });
  },
});

export const techniqueFormat = defineRule({
  scope: "item", id: "technique-format", severity: "error",
  description: "relevantTechniques entries look like T1234 or T1234.001.",
  check(ctx) {
    const t = ctx.item.data.relevantTechniques;
    if (!Array.isArray(t)) return;
    t.forEach((v, i) => {
      if (typeof v === "string" && !TECHNIQUE_RE.test(v.trim())) ctx.report(["relevantTechniques", i], `'${v}' is not a technique id (T1234 or T1234.001)`);
    });
  },
});

export const techniqueKnown = defineRule({
  scope: "item", id: "technique-known", severity: "warning",
  description: "Every technique exists in ATT&CK Enterprise (the version shipped in data/attack-techniques.json).",
  doc: "Revoked or mistyped ids make coverage reports wrong. ICS techniques (T08xx) are not in the Enterprise matrix and are reported too.",
  check(ctx) {
    const t = ctx.item.data.relevantTechniques;
    if (!Array.isArray(t)) return;
    const { techniques, attackVersion } = attackData();
    t.forEach((v, i) => {
      if (typeof v === "string" && TECHNIQUE_RE.test(v.trim()) && !techniques[v.trim()]) ctx.report(["relevantTechniques", i], `${v} is not an ATT&CK Enterprise v${attackVersion} technique`);
    });
  },
});

export const techniqueTactic = defineRule({
  scope: "item", id: "technique-tactic", severity: "warning",
  description: "Each technique belongs to at least one of the item's tactics (and tactics are present when techniques are).",
  doc: "ATT&CK places every technique under one or more tactics; a technique none of whose tactics is listed usually means a tactic was forgotten. Azure-Sentinel's validator, read literally, demands all of them, which most shipped rules fail, so scac asks for one.",
  check(ctx) {
    const t = ctx.item.data.relevantTechniques;
    if (!Array.isArray(t) || t.length === 0) return;
    const tactics = new Set(Array.isArray(ctx.item.data.tactics) ? ctx.item.data.tactics.map(String) : []);
    const { techniques } = attackData();
    t.forEach((v, i) => {
      if (typeof v !== "string") return;
      const info = techniques[v.trim()] ?? techniques[v.trim().split(".")[0]!];
      if (!info || info.tactics.length === 0) return;
      if (!info.tactics.some((x) => tactics.has(x))) ctx.report(["relevantTechniques", i], `${v} (${info.name}) belongs to ${info.tactics.join(", ")}, none of which is in tactics`);
    });
  },
});

export const attackRules = [tacticValid, techniqueFormat, techniqueKnown, techniqueTactic];
