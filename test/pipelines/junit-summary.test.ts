import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";

const script = join(import.meta.dirname, "..", "..", "scripts", "junit-summary.mjs");

it("junit-summary reads whole attribute names (name= is not the tail of classname=)", () => {
  const f = join(mkdtempSync(join(tmpdir(), "junit-")), "r.xml");
  writeFileSync(f, '<testsuites><testsuite name="s"><testcase classname="rule.yaml" name="Rule › hits"><failure message="no alert matches"/></testcase><testcase classname="rule.yaml" name="Rule › quiet"/></testsuite></testsuites>');
  const out = execFileSync(process.execPath, [script, f], { encoding: "utf8" });
  expect(out).toContain("**1 passed, 1 failed** (2 cases)");
  expect(out).toContain("| Rule › hits | no alert matches |");
});
