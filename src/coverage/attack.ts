// ATT&CK coverage of the content: which tactics and techniques the hunting queries and analytics rules claim,
// as an ATT&CK Navigator layer (importable in the Navigator) and a Markdown heat-map for PR job summaries.
import { attackData, SENTINEL_TACTICS } from "../lint/data.js";
import type { ContentItem } from "../content/model.js";

export interface TechniqueCoverage {
  id: string;
  name: string;
  /** Sentinel tactic names the technique belongs to in ATT&CK. */
  tactics: string[];
  analytics: string[];
  hunting: string[];
}

export interface TacticCoverage {
  tactic: string;
  analytics: number;
  hunting: number;
  /** Distinct techniques covered under this tactic. */
  techniques: number;
  /** Techniques ATT&CK lists under this tactic (the denominator of the heat-map). */
  total: number;
}

export interface Coverage {
  attackVersion: string;
  items: number;
  tactics: TacticCoverage[];
  techniques: TechniqueCoverage[];
  /** Technique ids the content names that ATT&CK does not know (lint reports them too). */
  unknownTechniques: string[];
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);

export function computeCoverage(items: readonly ContentItem[]): Coverage {
  const attack = attackData();
  const techniques = new Map<string, TechniqueCoverage>();
  const tacticItems = new Map<string, { analytics: Set<string>; hunting: Set<string> }>();
  const unknown = new Set<string>();
  const mark = (tactic: string, item: ContentItem) => {
    let t = tacticItems.get(tactic);
    if (!t) tacticItems.set(tactic, (t = { analytics: new Set(), hunting: new Set() }));
    t[item.kind].add(item.file);
  };
  for (const item of items) {
    const label = item.name || item.file;
    for (const tactic of strings(item.data.tactics)) mark(tactic, item);
    const ids = [...strings(item.data.relevantTechniques), ...strings(item.data.techniques), ...strings(item.data.subTechniques)];
    for (const raw of new Set(ids.map((s) => s.trim().toUpperCase()))) {
      const known = attack.techniques[raw];
      if (!known) {
        unknown.add(raw);
        continue;
      }
      let c = techniques.get(raw);
      if (!c) techniques.set(raw, (c = { id: raw, name: known.name, tactics: known.tactics, analytics: [], hunting: [] }));
      c[item.kind].push(label);
    }
  }
  const totals = new Map<string, number>();
  for (const t of Object.values(attack.techniques)) for (const tac of t.tactics) totals.set(tac, (totals.get(tac) ?? 0) + 1);
  const covered = [...techniques.values()];
  const tactics = SENTINEL_TACTICS.filter((t) => attack.tactics[t] || tacticItems.has(t)).map((tactic) => ({
    tactic,
    analytics: tacticItems.get(tactic)?.analytics.size ?? 0,
    hunting: tacticItems.get(tactic)?.hunting.size ?? 0,
    techniques: covered.filter((c) => c.tactics.includes(tactic)).length,
    total: totals.get(tactic) ?? 0,
  }));
  return {
    attackVersion: attack.attackVersion,
    items: items.length,
    tactics,
    techniques: covered.sort((a, b) => a.id.localeCompare(b.id, "en", { numeric: true })),
    unknownTechniques: [...unknown].sort(),
  };
}

/** ATT&CK Navigator layer (format 4.5); score = number of content items covering the technique. */
export function navigatorLayer(c: Coverage, name = "scac content coverage"): Record<string, unknown> {
  const attack = attackData();
  const max = Math.max(1, ...c.techniques.map((t) => t.analytics.length + t.hunting.length));
  const techniques = c.techniques.flatMap((t) =>
    t.tactics.map((tactic) => ({
      techniqueID: t.id,
      tactic: attack.tactics[tactic]?.shortName ?? tactic.toLowerCase(),
      score: t.analytics.length + t.hunting.length,
      color: "",
      comment: [...t.analytics.map((n) => `analytics: ${n}`), ...t.hunting.map((n) => `hunting: ${n}`)].join("\n"),
      enabled: true,
      metadata: [
        { name: "analytics rules", value: String(t.analytics.length) },
        { name: "hunting queries", value: String(t.hunting.length) },
      ],
      showSubtechniques: false,
    })),
  );
  return {
    name,
    versions: { attack: c.attackVersion.split(".")[0], navigator: "5.1.0", layer: "4.5" },
    domain: "enterprise-attack",
    description: `Techniques covered by ${c.items} scac content item(s); score = number of items.`,
    sorting: 0,
    layout: { layout: "side", showID: true, showName: true },
    hideDisabled: false,
    techniques,
    gradient: { colors: ["#ffe766ff", "#8ec843ff"], minValue: 0, maxValue: max },
    legendItems: [],
    showTacticRowBackground: false,
    selectTechniquesAcrossTactics: true,
    selectSubtechniquesWithParent: false,
  };
}

const HEAT = [" ", "░", "▒", "▓", "█"];

/** Markdown heat-map: one row per tactic (share of ATT&CK techniques covered), then the technique list. */
export function coverageMarkdown(c: Coverage): string {
  const lines = [
    "## ATT&CK coverage",
    "",
    `${c.items} content item(s), ${c.techniques.length} technique(s) covered (ATT&CK Enterprise v${c.attackVersion}).`,
    "",
    "| tactic | analytics rules | hunting queries | techniques covered | heat |",
    "|---|---:|---:|---:|---|",
  ];
  for (const t of c.tactics) {
    const share = t.total ? t.techniques / t.total : 0;
    const level = t.techniques === 0 ? 0 : Math.min(4, 1 + Math.floor(share * 20)); // ≥20% of a tactic is full heat
    lines.push(`| ${t.tactic} | ${t.analytics} | ${t.hunting} | ${t.techniques} / ${t.total} | ${HEAT[level]!.repeat(5)} |`);
  }
  if (c.techniques.length) {
    lines.push("", "| technique | name | tactics | analytics rules | hunting queries |", "|---|---|---|---:|---:|");
    for (const t of c.techniques) {
      lines.push(`| ${t.id} | ${t.name} | ${t.tactics.join(", ")} | ${t.analytics.length} | ${t.hunting.length} |`);
    }
  }
  if (c.unknownTechniques.length) lines.push("", `Unknown technique ids (not in ATT&CK v${c.attackVersion}): ${c.unknownTechniques.join(", ")}`);
  return lines.join("\n") + "\n";
}
