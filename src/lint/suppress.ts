// Inline suppressions in content files, always with a reason:
//   # scac-disable-file <rule>[, <rule>…] -- <reason>        the whole file
//   # scac-disable <rule>[, …] -- <reason>                   on its own line: the next non-blank line;
//                                                           after content: that line
//   // scac-disable kql-contains -- substring intended       the same inside the KQL block (a KQL comment)
// A suppression without a reason still applies and is itself reported (suppression-reason); an unknown rule id
// is reported (suppression-unknown-rule).
import type { Diagnostic } from "../diagnostics.js";

export interface Suppression {
  rules: string[];
  reason: string;
  /** 0 = whole file; otherwise the 1-based line it covers. */
  line: number;
  /** Where the comment itself is (for findings about it). */
  at: { line: number; column: number };
}

const MARK = /(#|\/\/)\s*scac-disable(-file|-next-line)?(?=\s|$)(.*)$/;

export function parseSuppressions(text: string): Suppression[] {
  if (!text.includes("scac-disable")) return [];
  const lines = text.split(/\r?\n/);
  const out: Suppression[] = [];
  lines.forEach((l, i) => {
    const m = MARK.exec(l);
    if (!m) return;
    const [spec, ...reasonParts] = m[3]!.split(/\s--\s?|^--\s?/);
    const reason = reasonParts.join(" -- ").trim();
    const rules = (spec ?? "").split(/[\s,]+/).filter(Boolean);
    const own = l.slice(0, m.index).trim() === "";
    let line = i + 1;
    if (m[2] === "-file") line = 0;
    else if (m[2] === "-next-line" || own) {
      line = 0;
      for (let j = i + 1; j < lines.length; j++) {
        const t = lines[j]!.trim();
        if (t === "" || ((t.startsWith("#") || t.startsWith("//")) && !MARK.test(t))) continue;
        line = j + 1;
        break;
      }
      if (line === 0) return; // nothing follows
    }
    out.push({ rules, reason, line, at: { line: i + 1, column: m.index + 1 } });
  });
  return out;
}

/** Drops suppressed diagnostics of one file and adds findings about the suppressions themselves. */
export function applySuppressions(file: string, diags: Diagnostic[], sups: readonly Suppression[], knownRule: (id: string) => boolean): Diagnostic[] {
  if (sups.length === 0) return diags;
  const kept = diags.filter((d) => !sups.some((s) => s.rules.includes(d.rule) && (s.line === 0 || s.line === d.line)));
  for (const s of sups) {
    if (s.rules.length === 0) {
      kept.push({ file, ...s.at, rule: "suppression-unknown-rule", severity: "warning", message: "scac-disable names no rule" });
      continue;
    }
    for (const r of s.rules) {
      if (!knownRule(r)) kept.push({ file, ...s.at, rule: "suppression-unknown-rule", severity: "warning", message: `scac-disable names unknown rule '${r}'` });
    }
    if (!s.reason) kept.push({ file, ...s.at, rule: "suppression-reason", severity: "error", message: `scac-disable ${s.rules.join(", ")} gives no reason (add "-- <why>")` });
  }
  return kept;
}
