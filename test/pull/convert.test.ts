// ARM → YAML conversion rules (hand-written expectations from arm-api.md §3, read in reverse).
import { describe, expect, it } from "vitest";
import { alertRuleToYaml, relevantTechniques, savedSearchToYaml, yamlDuration } from "../../src/pull/convert.js";
import { place } from "../../src/pull/files.js";

describe("ARM → Azure-Sentinel YAML", () => {
  it("durations take the largest whole unit", () => {
    expect(yamlDuration("PT5M")).toBe("5m");
    expect(yamlDuration("PT60M")).toBe("1h");
    expect(yamlDuration("PT1H30M")).toBe("90m");
    expect(yamlDuration("P1D")).toBe("1d");
    expect(yamlDuration("PT24H")).toBe("1d");
    expect(yamlDuration("P14D")).toBe("14d");
    expect(yamlDuration("PT45S")).toBe("45s");
    expect(yamlDuration("not a duration")).toBe("not a duration");
  });

  it("sub-techniques stand in for their parent; parents without one stay; orphans are kept", () => {
    expect(relevantTechniques(["T1059", "T1078"], ["T1059.001", "T1059.003"])).toEqual(["T1059.001", "T1059.003", "T1078"]);
    expect(relevantTechniques(["T1078"], ["T1566.001"])).toEqual(["T1078", "T1566.001"]);
    expect(relevantTechniques(undefined, undefined)).toEqual([]);
  });

  it("operators to short forms; unknown and template properties kept; server bookkeeping dropped", () => {
    const c = alertRuleToYaml({
      name: "r1", kind: "Scheduled", etag: '"x"', id: "/subscriptions/…/alertRules/r1",
      properties: {
        displayName: "R", description: "", severity: "Low", enabled: false, query: "T", queryFrequency: "PT1H", queryPeriod: "PT2H",
        triggerOperator: "NotEqual", triggerThreshold: 3, lastModifiedUtc: "2026-01-01T00:00:00Z", templateVersion: "1.2.3",
        alertRuleTemplateName: "tpl", startTimeUtc: "2026-12-01T00:00:00Z", suppressionEnabled: true, suppressionDuration: "PT1H",
        sentinelEntitiesMappings: [], eventGroupingSettings: null,
      },
    });
    expect(c.data).toEqual({
      id: "r1", name: "R", severity: "Low", requiredDataConnectors: [], queryFrequency: "1h", queryPeriod: "2h", triggerOperator: "ne",
      triggerThreshold: 3, query: "T", eventGroupingSettings: { aggregationKind: "SingleAlert" }, suppressionEnabled: true,
      suppressionDuration: "1h", enabled: false, alertRuleTemplateName: "tpl", version: "1.2.3", kind: "Scheduled",
      startTimeUtc: "2026-12-01T00:00:00Z",
    });
    expect(c.notes.join("\n")).toMatch(/disabled in the workspace/);
    expect(c.notes.join("\n")).toMatch(/startTimeUtc/);
    expect(c.notes.join("\n")).toMatch(/template tpl/);
    expect(Object.keys(c.data).slice(0, 3)).toEqual(["id", "name", "severity"]);
  });

  it("other rule kinds are skipped with a reason", () => {
    const c = alertRuleToYaml({ name: "BuiltInFusion", kind: "Fusion", properties: { enabled: true } });
    expect(c.data).toEqual({});
    expect(c.notes[0]).toMatch(/Fusion is not content scac manages/);
  });

  it("saved search tags → description, tactics, relevantTechniques; portal tags dropped; others kept", () => {
    const c = savedSearchToYaml({ name: "h1", properties: { category: "Hunting Queries", displayName: "H", query: "Q", version: 1, functionParameters: "",
      tags: [{ name: "Description", value: "d" }, { name: "tactics", value: "Execution, Persistence" }, { name: "createdTimeUtc", value: "x" }, { name: "owner", value: "soc" }] } });
    expect(c.data).toEqual({ id: "h1", name: "H", description: "d", requiredDataConnectors: [], tactics: ["Execution", "Persistence"], query: "Q", version: "1.0.0", savedSearchTags: [{ name: "owner", value: "soc" }] });
    expect(c.notes.join("\n")).toMatch(/version 1; deploy writes version 2/);
  });

  it("file names: deterministic whatever the listing order; non-ASCII names fall back to the id", () => {
    const mk = (id: string, name: string) => ({ kind: "analytics" as const, id, name, data: {}, notes: [] });
    const a = [mk("b-2", "Same"), mk("a-1", "Same"), mk("c-3", "ÄÖ — ✓")];
    const one = place(a, "/nonexistent", "analytics").map((p) => [p.item.id, p.rel]);
    const two = place([...a].reverse(), "/nonexistent", "analytics").map((p) => [p.item.id, p.rel]);
    // An id already filed elsewhere (moved into a sub-folder) keeps its file; its slug is free for nobody else.
    const moved = place(a, "/nonexistent", "analytics", new Map([["a-1", "analytics/team/renamed.yaml"], ["zz", "analytics/same.yaml"]]));
    expect(Object.fromEntries(moved.map((p) => [p.item.id, [p.rel, p.exists]]))).toEqual({
      "a-1": ["analytics/team/renamed.yaml", true], "b-2": ["analytics/same-b-2.yaml", false], "c-3": ["analytics/ao.yaml", false],
    });
    expect(one).toEqual(two);
    expect(Object.fromEntries(one)).toEqual({ "a-1": "analytics/same.yaml", "b-2": "analytics/same-b-2.yaml", "c-3": "analytics/ao.yaml" });
  });
});
