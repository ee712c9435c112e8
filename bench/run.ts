// `npm run bench`: runs every bench/*.bench.ts in its own process (so one benchmark's heap and JIT state never
// colour another's figures); each writes bench/results/<name>.json and prints a summary.
import { readdirSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(here).filter((f) => f.endsWith(".bench.ts")).filter((f) => only.length === 0 || only.some((o) => f.includes(o))).sort();
let failed = 0;
for (const f of files) {
  console.log(`\n=== ${f}`);
  const r = spawnSync(process.execPath, ["--import", "tsx", "--expose-gc", join(here, f)], { stdio: "inherit" });
  if (r.status !== 0) { failed++; console.error(`${f} failed (exit ${r.status})`); }
}
process.exitCode = failed ? 1 : 0;
