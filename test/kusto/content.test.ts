// Content tests on a real Kusto engine, end to end through the content-test runner (the code path of
// `scac test --engine kusto`), against recorded v2 responses replayed on 127.0.0.1.
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createKustoEngine } from "../../src/kusto/engine.js";
import { runSession } from "../../src/testing/session.js";
import { startReplay } from "./replay.js";

const PROJECT = fileURLToPath(new URL("../fixtures/kusto/project/content", import.meta.url));
let replay: Awaited<ReturnType<typeof startReplay>>;
beforeAll(async () => { replay = await startReplay(); });
afterAll(async () => { await replay?.close(); });

describe("scac test --engine kusto (recorded)", () => {
  it("runs every case remotely and applies the same assertions", async () => {
    const s = await runSession({ paths: [PROJECT], schemaDirs: [], engine: createKustoEngine({ cluster: replay.url }) });
    expect(s.results.map((r) => [r.caseName, r.status])).toEqual([
      ["finds web01", "pass"],
      ["nothing without web01", "pass"],
      ["a wrong expectation fails on the remote result too", "fail"],
    ]);
    expect(s.results[2]!.message).toMatch(/rows/);
    expect(replay.received).toHaveLength(3);
    expect(replay.received.every((r) => r.body.properties?.Options?.query_now === "2026-11-20T12:00:00Z")).toBe(true);
    expect(s.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  }, 120_000);
});
