// Cross-workspace references (`workspace("x").T`, `resource("…").T`): accepted by analysis (lint) with the
// other workspace's tables typed like ours, refused by the local engine, and never rewritten inside strings.
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { rewriteCrossResource } from "../../src/kql/crossresource.js";
import { runQuery } from "../../src/kql/engine.js";
import { analyze } from "../../src/kql/frontend.js";
import { lintPaths } from "../../src/lint/lint-paths.js";
import { loadSchemas } from "../../src/schemas/loader.js";
import type { SchemaSet } from "../../src/schemas/model.js";

let schemas: SchemaSet;
beforeAll(async () => { schemas = (await loadSchemas([])).schemas; });

describe("analysis", () => {
  it("binds workspace(\"x\").Table to the table's schema, positions unchanged", () => {
    const q = `union SecurityEvent, workspace("contoso-prod").SecurityEvent\n| where EventID == 4625 | project Account, EventID`;
    const a = analyze(q, schemas);
    expect(a.diagnostics).toEqual([]);
    expect(a.resultColumns).toEqual([{ name: "Account", type: "string" }, { name: "EventID", type: "int" }]);
  });

  it("binds resource(\"/subscriptions/…\") and whitespace before the parenthesis", () => {
    expect(analyze(`resource("/subscriptions/1/resourceGroups/rg").SigninLogs | take 1`, schemas).diagnostics).toEqual([]);
    expect(analyze(`workspace ('ws2').SigninLogs | count`, schemas).resultColumns).toEqual([{ name: "Count", type: "long" }]);
  });

  it("still reports an unknown table in the other workspace, at the user's position", () => {
    const d = analyze(`workspace("a").NoSuchTable`, schemas).diagnostics;
    expect(d.map((x) => [x.code, x.line, x.column])).toEqual([["KS204", 1, 16]]);
  });

  it("leaves a computed workspace name and app() as unknown functions", () => {
    expect(analyze(`workspace(strcat("a", "b")).SecurityEvent`, schemas).diagnostics.map((d) => d.code)).toEqual(["KS211"]);
    expect(analyze(`app("x").requests`, schemas).diagnostics.map((d) => d.code)).toContain("KS211");
  });
});

describe("rewriteCrossResource", () => {
  it("rewrites only the reported call sites, keeping the text length", () => {
    const q = `let s = 'workspace("x").T'; workspace("w1").T | where a == "workspace(\\"y\\")"`;
    const start = q.indexOf(`workspace("w1")`);
    const r = rewriteCrossResource(q, [start])!;
    expect(r.text.length).toBe(q.length);
    expect(r.text).toBe(`let s = 'workspace("x").T'; database ("w1").T | where a == "workspace(\\"y\\")"`);
    expect(r.databases).toEqual(["w1"]);
  });

  it("decodes escaped and verbatim literals", () => {
    expect(rewriteCrossResource(`workspace(@"a\\b").T`, [0])!.databases).toEqual(["a\\b"]);
    expect(rewriteCrossResource(`workspace("a\\\\b").T`, [0])!.databases).toEqual(["a\\b"]);
    expect(rewriteCrossResource(`foo("a").T`, [0])).toBeUndefined();
  });
});

describe("engine and lint", () => {
  it("the local engine refuses a cross-workspace table, naming it and its position", () => {
    expect(() => runQuery(`SecurityEvent | union workspace("other").SecurityEvent`, { tables: {}, schemas }))
      .toThrow(/unsupported: cross-workspace\/database table reference at 1:23/);
  });

  it("lint reports no KQL error for a cross-workspace analytics rule", async () => {
    const base = readFileSync(new URL("../fixtures/lint/rules/analytics.yaml", import.meta.url), "utf8");
    const rule = base.replace("  DeviceProcessEvents\n", "  union DeviceProcessEvents, workspace(\"customer-b\").DeviceProcessEvents\n");
    expect(rule).not.toBe(base);
    const dir = mkdtempSync(join(tmpdir(), "scac-xws-"));
    const file = join(dir, "content/analytics/rule.yaml");
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, rule);
    const { diagnostics } = await lintPaths([], { cwd: dir, config: false });
    expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  });
});
