// Rewrites known-gaps.json from a fresh run of every case (outside vitest) and prints what changed.
// Usage: node --import tsx test/kql/conformance/refresh-known-gaps.ts [--check]
// Each reason starts with the outcome (UNSUPPORTED / WRONG / ERROR) so wrong answers never hide among gaps.
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { loadCaseFiles } from "./cases.js";
import { runCase, type Outcome } from "./run.js";

const gapsPath = fileURLToPath(new URL("./known-gaps.json", import.meta.url));
const old = JSON.parse(readFileSync(gapsPath, "utf8")) as Record<string, string>;
const next: Record<string, string> = {};
const count: Record<Outcome, number> = { passed: 0, unsupported: 0, wrong: 0, error: 0 };
const started = performance.now();
for (const { cases } of loadCaseFiles()) {
  for (const c of cases) {
    const r = await runCase(c);
    count[r.outcome]++;
    // One line per gap: the message's lines joined (a wrong answer keeps its actual/expected rows), capped.
    if (r.outcome !== "passed") next[c.name] = `${r.outcome.toUpperCase()}: ${r.message.split("\n").map((l) => l.trim()).join(" | ").slice(0, 320)}`;
  }
}
const added = Object.keys(next).filter((k) => !(k in old));
const fixed = Object.keys(old).filter((k) => !(k in next));
console.log(`passed ${count.passed}, unsupported ${count.unsupported}, wrong ${count.wrong}, error ${count.error} ` +
  `(${((performance.now() - started) / 1000).toFixed(1)} s)`);
if (added.length) console.log(`newly failing (${added.length}): ${added.join(", ")}`);
if (fixed.length) console.log(`now passing (${fixed.length}): ${fixed.join(", ")}`);
for (const [k, v] of Object.entries(next)) if (v.startsWith("WRONG")) console.log(`  ${k}: ${v}`);
if (!process.argv.includes("--check")) writeFileSync(gapsPath, JSON.stringify(next, null, 2) + "\n");
