// docs/lint.md carries the rule table generated from the rule index, so documentation cannot drift.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ruleTableMarkdown } from "../../src/lint/rules-doc.js";
import { ALL_RULES } from "../../src/lint/rules/index.js";

describe("docs/lint.md", () => {
  const doc = readFileSync(new URL("../../docs/lint.md", import.meta.url), "utf8");
  it("contains the generated rule table verbatim", () => {
    expect(doc).toContain(ruleTableMarkdown());
  });
  it("documents every rule id", () => {
    for (const r of ALL_RULES) expect(doc).toContain(`\`${r.id}\``);
  });
});
