// README.md is the front door; its reference sections are filled from docs/*.md by scripts/build-readme.mjs.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
// @ts-expect-error — plain ESM script without type declarations
import { buildReadme, shiftHeadings } from "../scripts/build-readme.mjs";

const root = join(import.meta.dirname, "..");
const readme = readFileSync(join(root, "README.md"), "utf8");

describe("README", () => {
  it("is in sync with docs/ (run `node scripts/build-readme.mjs` after editing a doc)", () => {
    expect(buildReadme(readme)).toBe(readme);
  });
  it("opens with exactly the two set-up commands", () => {
    expect(readme).toContain("npm ci && npm start");
    expect(readme).toContain("npm test ");
  });
  it("documents every CLI command", async () => {
    const cli = readFileSync(join(root, "src", "cli.ts"), "utf8");
    const names = [...cli.matchAll(/^  (\w+): \{$/gm)].map((m) => m[1]!);
    expect(names.length).toBeGreaterThan(10);
    for (const n of names) expect(readme, n).toContain(`scac ${n}`);
  });
  it("shifts doc headings without touching code blocks", () => {
    expect(shiftHeadings("# A\n```sh\n# comment\n```\n## B")).toBe("## A\n```sh\n# comment\n```\n### B");
  });
});
