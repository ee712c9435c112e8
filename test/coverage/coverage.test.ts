import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseContent } from "../../src/content/loader.js";
import { computeCoverage, coverageMarkdown, navigatorLayer } from "../../src/coverage/attack.js";

const root = join(import.meta.dirname, "..", "..");

const item = (file: string, yaml: string) => parseContent(yaml, file).item!;

describe("ATT&CK coverage", () => {
  const items = [
    item("a.yaml", "id: a\nname: Rule A\nkind: Scheduled\ntactics: [Execution, Persistence]\nrelevantTechniques: [T1059.001, T1505.003]\n"),
    item("b.yaml", "id: b\nname: Hunt B\ntactics: [Execution]\nrelevantTechniques: [T1059.001, T9999]\n"),
  ];
  const c = computeCoverage(items);

  it("counts items per technique and per tactic, by kind", () => {
    const ps = c.techniques.find((t) => t.id === "T1059.001")!;
    expect(ps.name).toBe("PowerShell");
    expect(ps.analytics).toEqual(["Rule A"]);
    expect(ps.hunting).toEqual(["Hunt B"]);
    const exec = c.tactics.find((t) => t.tactic === "Execution")!;
    expect([exec.analytics, exec.hunting, exec.techniques]).toEqual([1, 1, 1]);
    expect(c.tactics.find((t) => t.tactic === "Persistence")).toMatchObject({ analytics: 1, hunting: 0, techniques: 1 });
    expect(c.unknownTechniques).toEqual(["T9999"]);
  });

  it("writes a Navigator layer with one entry per technique and tactic, scored by item count", () => {
    const layer = navigatorLayer(c) as { domain: string; versions: { layer: string }; techniques: { techniqueID: string; tactic: string; score: number }[] };
    expect(layer.domain).toBe("enterprise-attack");
    expect(layer.versions.layer).toBe("4.5");
    expect(layer.techniques).toContainEqual(expect.objectContaining({ techniqueID: "T1059.001", tactic: "execution", score: 2 }));
    // Web Shell sits under Persistence in ATT&CK; the layer uses the Navigator's short tactic names.
    expect(layer.techniques).toContainEqual(expect.objectContaining({ techniqueID: "T1505.003", tactic: "persistence", score: 1 }));
  });

  it("renders a Markdown heat-map row per tactic", () => {
    const md = coverageMarkdown(c);
    expect(md).toMatch(/\| Execution \| 1 \| 1 \| 1 \/ \d+ \| ░{5} \|/);
    expect(md).toMatch(/\| Impact \| 0 \| 0 \| 0 \/ \d+ \|  {5} \|/);
    expect(md).toContain("Unknown technique ids (not in ATT&CK v18.0): T9999");
  });

  it("scac coverage reads the repository's content", () => {
    const out = execFileSync(join(root, "node_modules", ".bin", "tsx"), [join(root, "src", "cli.ts"), "coverage", "--format", "navigator"], { cwd: root, encoding: "utf8" });
    const layer = JSON.parse(out) as { techniques: { techniqueID: string }[] };
    expect(layer.techniques.map((t) => t.techniqueID)).toContain("T1059");
  });
});
