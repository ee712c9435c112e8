// Emulator throughput through the real SDK pipeline: PUT (full validation incl. KQL), paged list, state save.
// Run alone: node --import tsx bench/emulator.bench.ts  → bench/results/emulator.json
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { startEmulator } from "../src/emulator/index.js";
import { PREVIEW, RG, TEST_TABLES, WS, WS_PATH, client, raw, rulePath, scheduledRule } from "../test/emulator/helpers.js";

async function timed<T>(f: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const r = await f();
  return [r, performance.now() - t0];
}

async function pool(n: number, concurrency: number, job: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < n) await job(next++);
  }));
}

const dir = mkdtempSync(join(tmpdir(), "scac-emu-bench-"));
const [emu, startMs] = await timed(() => startEmulator({ port: 0, throttle: false, state: join(dir, "state.json") }));
emu.setTables(WS_PATH, TEST_TABLES);
const si = client(emu.url);
const [, firstPutMs] = await timed(() => raw(si, emu.url, "PUT", rulePath("warm"), scheduledRule()));

const N = 1000;
const CONC = 16;
// Distinct queries: every PUT is analysed by Kusto.Language.
const [, distinctMs] = await timed(() => pool(N, CONC, async (i) => {
  const r = await raw(si, emu.url, "PUT", rulePath(`d-${i}`), scheduledRule({ query: `DeviceProcessEvents | where FileName == 'f${i}.exe' | project TimeGenerated, DeviceName` }));
  if (r.status !== 201) throw new Error(`PUT ${r.status}: ${JSON.stringify(r.json)}`);
}));
// The same query (a deploy to many workspaces): analysis cached.
const [, sameMs] = await timed(() => pool(N, CONC, async (i) => {
  const r = await raw(si, emu.url, "PUT", rulePath(`s-${i}`), scheduledRule());
  if (r.status !== 201) throw new Error(`PUT ${r.status}`);
}));
const typed = client(emu.url, { apiVersion: PREVIEW });
const [count, listMs] = await timed(async () => {
  let n = 0;
  for await (const _ of typed.alertRules.list(RG, WS)) n++;
  return n;
});
const [, saveMs] = await timed(() => emu.flush());
await emu.close();

const results = {
  node: process.version,
  startMs: Math.round(startMs),
  firstPutMs: Math.round(firstPutMs),
  putDistinctQueries: { n: N, concurrency: CONC, ms: Math.round(distinctMs), perSec: Math.round((N / distinctMs) * 1000) },
  putSameQuery: { n: N, concurrency: CONC, ms: Math.round(sameMs), perSec: Math.round((N / sameMs) * 1000) },
  listPaged: { rules: count, pageSize: 50, ms: Math.round(listMs) },
  stateSave: { resources: count, ms: Math.round(saveMs) },
};
mkdirSync(new URL("./results/", import.meta.url), { recursive: true });
writeFileSync(new URL("./results/emulator.json", import.meta.url), JSON.stringify(results, null, 2) + "\n");
console.log(`emulator: start ${results.startMs} ms, first PUT (Kusto warm-up) ${results.firstPutMs} ms`);
console.log(`  PUT distinct queries: ${results.putDistinctQueries.perSec}/s; same query: ${results.putSameQuery.perSec}/s (${CONC} in flight)`);
console.log(`  paged list of ${count} rules: ${results.listPaged.ms} ms; state save of ${count} resources: ${results.stateSave.ms} ms`);
