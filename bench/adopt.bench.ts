// Adoption and export at estate scale: pull of 500 portal rules + 100 hunting queries from the emulator (with
// the per-item round-trip check), the plan after it, ARM export of the pulled items, schema pull, and inlining
// a 1 000-row case table for the real-Kusto engine.
// Run alone: node --import tsx bench/adopt.bench.ts  → bench/results/adopt.json
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { loadContentFile } from "../src/content/loader.js";
import { runPlanOrDeploy } from "../src/deploy/run.js";
import { startEmulator } from "../src/emulator/index.js";
import { exportArm } from "../src/export/arm.js";
import { inlineTables } from "../src/kusto/inline.js";
import { pull } from "../src/pull/pull.js";
import { schemaPull } from "../src/pull/schema.js";

async function timed<T>(f: () => Promise<T> | T): Promise<[T, number]> {
  const t0 = performance.now();
  const r = await f();
  return [r, performance.now() - t0];
}

const RULES = 500, SEARCHES = 100;
const SUB = "77777777-7777-7777-7777-777777777777";
const WS = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/law-bench`;
const emu = await startEmulator({ port: 0, throttle: false });
const incident = { createIncident: true, groupingConfiguration: { enabled: false, reopenClosedIncident: false, lookbackDuration: "PT5H", matchingMethod: "AllEntities" } };
for (let i = 0; i < RULES; i++) {
  const id = `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`;
  emu.seed(`${WS}/providers/Microsoft.SecurityInsights/alertRules/${id}`, { kind: "Scheduled", properties: {
    displayName: `Portal rule ${i % 450}`, description: `Rule ${i}`, severity: "Medium", enabled: true,
    query: `SecurityEvent\n| where EventID == ${4600 + (i % 90)}\n| project TimeGenerated, Computer, Account`,
    queryFrequency: "PT1H", queryPeriod: "P1D", triggerOperator: "GreaterThan", triggerThreshold: i % 5,
    suppressionEnabled: false, suppressionDuration: "PT1H", tactics: ["Execution"], techniques: ["T1059"], subTechniques: ["T1059.001"],
    entityMappings: [{ entityType: "Host", fieldMappings: [{ identifier: "FullName", columnName: "Computer" }] }],
    eventGroupingSettings: { aggregationKind: "AlertPerResult" }, incidentConfiguration: incident } });
}
for (let i = 0; i < SEARCHES; i++) {
  emu.seed(`/subscriptions/${SUB}/resourcegroups/rg/providers/Microsoft.OperationalInsights/workspaces/law-bench/savedSearches/h-${i}`, { properties: {
    category: "Hunting Queries", displayName: `Hunt ${i}`, version: 2, query: `SecurityEvent | where EventID == ${i}`,
    tags: [{ name: "description", value: `hunt ${i}` }, { name: "tactics", value: "Discovery" }] } });
}
const dir = mkdtempSync(join(tmpdir(), "scac-adopt-bench-"));
writeFileSync(join(dir, "workspaces.yaml"), `workspaces:\n  - name: bench\n    subscriptionId: ${SUB}\n    resourceGroup: rg\n    workspace: law-bench\n    endpoint: ${emu.url}\n    auth: none\n`);

const [pulled, pullMs] = await timed(() => pull({ workspacesFile: join(dir, "workspaces.yaml"), workspace: "bench", output: join(dir, "content"), overwrite: false }));
const exact = pulled.items.filter((i) => i.roundTrip.length === 0).length;
let planOut = "";
const [planned, planMs] = await timed(() => runPlanOrDeploy("plan", { workspacesFile: join(dir, "workspaces.yaml"), workspaces: [], prune: false, format: "json", detailedExitCode: false, verbose: false, limiter: { limits: false } }, { stdout: (s) => { planOut += s; }, stderr: () => undefined }));
const changes = planned.plan!.workspaces[0]!.changes;
const ownershipOnly = changes.filter((c) => c.action === "update" && !c.writeResource).length;
const files = ["analytics", "hunting"].flatMap((d) => readdirSync(join(dir, "content", d)).filter((f) => !f.endsWith(".test.yaml")).map((f) => join(dir, "content", d, f)));
const items = (await Promise.all(files.map((f) => loadContentFile(f)))).map((r) => r.item!);
const [exported, exportMs] = await timed(() => exportArm(items));
const [, schemaMs] = await timed(() => schemaPull(join(dir, "workspaces.yaml"), "bench"));
const rows = Array.from({ length: 1000 }, (_, i) => ({ TimeGenerated: `2026-11-20T11:${String(i % 60).padStart(2, "0")}:00Z`, Computer: `host${i}`, EventID: 4688, CommandLine: `cmd.exe /c echo ${i} "quoted"` }));
const [inlined, inlineMs] = await timed(() => inlineTables("SecurityEvent | summarize count() by Computer", { tables: { SecurityEvent: rows } }));

const result = {
  date: new Date().toISOString(),
  items: { rules: RULES, huntingQueries: SEARCHES },
  pull: { ms: Math.round(pullMs), itemsPerSec: Math.round((pulled.items.length / pullMs) * 1000), written: pulled.items.length, exactRoundTrip: exact },
  planAfterPull: { ms: Math.round(planMs), changes: changes.length, ownershipOnly },
  exportArm: { ms: Math.round(exportMs), templates: exported.templates.length },
  schemaPull: { ms: Math.round(schemaMs) },
  inline1000Rows: { ms: Math.round(inlineMs * 10) / 10, bytes: inlined.text.length },
};
mkdirSync(new URL("./results/", import.meta.url), { recursive: true });
writeFileSync(new URL("./results/adopt.json", import.meta.url), `${JSON.stringify(result, null, 2)}\n`);
console.log(`pull ${RULES}+${SEARCHES}: ${result.pull.ms} ms (${result.pull.itemsPerSec} items/s, ${exact}/${pulled.items.length} exact round trip)`);
console.log(`plan after pull: ${result.planAfterPull.ms} ms, ${ownershipOnly}/${changes.length} ownership-only`);
console.log(`export arm: ${result.exportArm.ms} ms for ${exported.templates.length} templates; schema pull: ${result.schemaPull.ms} ms`);
console.log(`inline 1000 rows: ${result.inline1000Rows.ms} ms, ${result.inline1000Rows.bytes} bytes of KQL`);
await emu.close();
rmSync(dir, { recursive: true, force: true });
