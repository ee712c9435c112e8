#!/usr/bin/env zx
// Renders a JUnit XML report (from `scac test --reporter junit`) as a Markdown job summary:
//   npx zx scripts/junit-summary.mjs scac-tests.xml >> "$GITHUB_STEP_SUMMARY"
import { readFileSync } from "node:fs";

const file = process.argv.slice(2).find((a) => !a.endsWith(".mjs"));
if (!file) {
  console.error("usage: zx scripts/junit-summary.mjs <junit.xml>");
  process.exit(2);
}
const xml = readFileSync(file, "utf8");
// Whole attribute names only: `name=` must not match inside `classname=`.
const attr = (tag, name) => (new RegExp(`(?:^|\\s)${name}="([^"]*)"`).exec(tag) ?? [])[1];
const unescape = (s) => (s ?? "").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, "&");
const cases = [...xml.matchAll(/<testcase\b([^>]*?)(\/>|>([\s\S]*?)<\/testcase>)/g)].map((m) => {
  const body = m[3] ?? "";
  const failure = /<(failure|error)\b([^>]*)>?/.exec(body);
  return {
    name: unescape(attr(m[1], "name")),
    suite: unescape(attr(m[1], "classname")),
    failed: Boolean(failure),
    skipped: /<skipped\b/.test(body),
    message: failure ? unescape(attr(failure[2], "message")) : "",
  };
});
const failed = cases.filter((c) => c.failed);
const skipped = cases.filter((c) => c.skipped);
const passed = cases.length - failed.length - skipped.length;
const lines = ["## scac content tests", "", `**${passed} passed, ${failed.length} failed**${skipped.length ? `, ${skipped.length} skipped` : ""} (${cases.length} cases)`, ""];
if (failed.length) {
  lines.push("| content › case | message |", "|---|---|");
  for (const c of failed) lines.push(`| ${c.name.replace(/\|/g, "\\|")} | ${c.message.split("\n")[0].replace(/\|/g, "\\|")} |`);
}
console.log(lines.join("\n"));
