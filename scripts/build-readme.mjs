#!/usr/bin/env node
// Keeps README.md complete without a second copy to maintain: each `<!-- include: docs/x.md -->` …
// `<!-- /include -->` block is refilled from the doc, its headings shifted so the doc's top heading is `##`.
//   node scripts/build-readme.mjs          rewrite README.md
//   node scripts/build-readme.mjs --check  exit 1 if README.md is stale (used by the test suite)
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

export function shiftHeadings(markdown, topLevel = 2) {
  const lines = markdown.replace(/\s+$/, "").split("\n");
  let fence = false;
  let min = Infinity;
  const isHeading = [];
  for (const line of lines) {
    if (/^(```|~~~)/.test(line)) fence = !fence;
    const m = !fence && /^(#{1,6}) /.exec(line);
    isHeading.push(Boolean(m));
    if (m) min = Math.min(min, m[1].length);
  }
  const shift = min === Infinity ? 0 : topLevel - min;
  return lines.map((line, i) => (isHeading[i] ? "#".repeat(Math.min(6, line.indexOf(" ") + shift)) + line.slice(line.indexOf(" ")) : line)).join("\n");
}

export function buildReadme(text) {
  return text.replace(/(<!-- include: (\S+) -->\n)[\s\S]*?(<!-- \/include -->)/g, (_, open, file, close) =>
    `${open}${shiftHeadings(readFileSync(join(root, file), "utf8"))}\n${close}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const path = join(root, "README.md");
  const current = readFileSync(path, "utf8");
  const next = buildReadme(current);
  if (process.argv.includes("--check")) {
    if (next !== current) {
      console.error("README.md is out of date: run `node scripts/build-readme.mjs`");
      process.exit(1);
    }
  } else if (next !== current) {
    writeFileSync(path, next);
    console.log("README.md updated");
  }
}
