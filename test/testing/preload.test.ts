// Runs of 8+ test files load them on a worker thread while the main thread starts Kusto.Language
// (src/testing/preload.ts): the results, positions and diagnostics must be those of loading on the main thread.
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PRELOAD_MIN_FILES, shouldPreload } from "../../src/testing/preload.js";
import { runSession } from "../../src/testing/session.js";
import { HUNT_SECURITYEVENT, tempProject } from "./helpers.js";

const TEST = (n: number) => `now: 2026-11-20T12:00:00Z
tables:
  SecurityEvent:
    - { TimeGenerated: now-1h, Computer: web${n}, EventID: 4688, CommandLine: whoami }
cases:
  - name: found ${n}
    expect: { rows: 1, present: [{ Computer: web${n} }] }
  - name: wrong ${n}
    expect: { rows: 2 }
`;

describe("test files preloaded on a worker thread", () => {
  it("gives the same results, case positions and diagnostics", { timeout: 180_000 }, async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < PRELOAD_MIN_FILES; i++) {
      files[`content/h${i}.yaml`] = HUNT_SECURITYEVENT.replace(/id: .*/, `id: 6f0e2d1c-1111-4a4a-8b8b-0c0c0c0c0c${String(i).padStart(2, "0")}`).replace("Process Hunt", `Hunt ${i}`);
      files[`content/h${i}.test.yaml`] = TEST(i);
    }
    files["content/broken.yaml"] = HUNT_SECURITYEVENT.replace("Process Hunt", "Broken");
    files["content/broken.test.yaml"] = "now: 2026-11-20T12:00:00Z\ncases:\n  - name: x\n    bogus: 1\n";
    expect(shouldPreload(PRELOAD_MIN_FILES + 1)).toBe(availableParallelism() >= 2);
    const dir = tempProject(files);
    const s = await runSession({ paths: [join(dir, "content")], schemaDirs: [], coverage: { level: "off" } });
    const got = s.results.map((r) => `${r.status} ${r.caseName} @${r.line}`);
    expect(got).toEqual([
      "error (test file) @4",
      ...Array.from({ length: PRELOAD_MIN_FILES }, (_, i) => [`pass found ${i} @6`, `fail wrong ${i} @8`]).flat(),
    ]);
    expect(s.results[0]!.message).toMatch(/broken\.test\.yaml:4:5: .*bogus.* \[test-file-schema\]$/);
  });
});
