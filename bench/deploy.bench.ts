// Deploy benchmark: 500 content items × 20 workspaces in 10 subscriptions against the emulator with 50 ms
// latency and ARM's write token bucket (200 burst, 10/s per subscription). Reports the first deploy's wall time
// against the lower bound the bucket imposes, and a no-op re-run (wall time, writes).
//   node --import tsx bench/deploy.bench.ts            (SCAC_BENCH_ITEMS / _WORKSPACES / _SUBS scale it down)
// The emulator runs in a child process (this file with --emulator-child), as ARM is remote: its request
// validation does not compete with the deployer for the same event loop.
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { runPlanOrDeploy, type RunOptions } from "../src/deploy/run.js";
import type { EmulatorStats } from "../src/emulator/index.js";

const ITEMS = Number(process.env.SCAC_BENCH_ITEMS ?? 500);
const WORKSPACES = Number(process.env.SCAC_BENCH_WORKSPACES ?? 20);
const SUBSCRIPTIONS = Number(process.env.SCAC_BENCH_SUBS ?? 10);
const LATENCY_MS = 50;
const BUCKET = { burst: 200, refillPerSec: 10 };

const guid = (n: number, salt: number) => `${salt.toString(16).padStart(8, "0")}-0000-4000-8000-${n.toString(16).padStart(12, "0")}`;
const TABLES = ["DeviceProcessEvents", "SecurityEvent", "SigninLogs", "Syslog", "DeviceNetworkEvents"];
const QUERIES: Record<string, (i: number) => string> = {
  DeviceProcessEvents: (i) => `DeviceProcessEvents\n| where FileName =~ 'tool${i}.exe'\n| summarize Count = count() by DeviceName, AccountName`,
  SecurityEvent: (i) => `SecurityEvent\n| where EventID == ${4600 + (i % 100)}\n| summarize Count = count() by Computer, Account`,
  SigninLogs: (i) => `SigninLogs\n| where ResultType == '${50000 + i}'\n| summarize Count = count() by UserPrincipalName, IPAddress`,
  Syslog: (i) => `Syslog\n| where SyslogMessage has 'pattern-${i}'\n| summarize Count = count() by Computer`,
  DeviceNetworkEvents: (i) => `DeviceNetworkEvents\n| where RemotePort == ${1000 + i}\n| summarize Count = count() by DeviceName, RemoteIP`,
};

function writeContent(dir: string): void {
  mkdirSync(join(dir, "content/analytics"), { recursive: true });
  mkdirSync(join(dir, "content/hunting"), { recursive: true });
  for (let i = 0; i < ITEMS; i++) {
    const table = TABLES[i % TABLES.length]!;
    const query = QUERIES[table]!(i).split("\n").map((l) => `  ${l}`).join("\n");
    const hunting = i % 5 === 4; // 20% hunting queries, 80% analytics rules (a tenth of them NRT)
    const nrt = !hunting && i % 10 === 3;
    const common = `id: ${guid(i, 0xbe7c4)}\nname: Bench item ${i}\ndescription: Generated benchmark item ${i}.\ntactics: [Execution]\nrelevantTechniques: [T1059.001]\nquery: |\n${query}\n`;
    if (hunting) writeFileSync(join(dir, `content/hunting/item-${i}.yaml`), common);
    else {
      const sched = nrt ? "kind: NRT\n" : "kind: Scheduled\nqueryFrequency: 1h\nqueryPeriod: 1h\ntriggerOperator: gt\ntriggerThreshold: 0\n";
      writeFileSync(join(dir, `content/analytics/item-${i}.yaml`), `${common}severity: Medium\n${sched}`);
    }
  }
}

async function emulatorChild(): Promise<void> {
  const { startEmulator } = await import("../src/emulator/index.js");
  const emu = await startEmulator({ port: 0, latencyMs: LATENCY_MS, throttle: { writes: BUCKET, deletes: BUCKET } });
  console.log(JSON.stringify({ url: emu.url }));
  process.stdin.resume();
  process.stdin.on("end", () => { void emu.close().then(() => process.exit(0)); });
}

interface RemoteEmulator {
  url: string;
  /** CPU seconds the emulator process has used (Linux /proc; undefined elsewhere). */
  cpuSeconds(): number | undefined;
  stats(): Promise<EmulatorStats>;
  resetStats(): Promise<void>;
  close(): void;
}

async function spawnEmulator(): Promise<RemoteEmulator> {
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url), "--emulator-child"], { stdio: ["pipe", "pipe", "inherit"] });
  const first = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once("line", resolve);
    child.once("exit", (code) => reject(new Error(`emulator child exited (${code})`)));
  });
  const url = (JSON.parse(first) as { url: string }).url;
  // Warm-up outside the measured runs and the bench's subscriptions: the emulator loads its validators
  // (Kusto.Language, OpenAPI) on the first rule PUT.
  const warm = `${url}/subscriptions/ffffffff-ffff-4fff-8fff-ffffffffffff/resourceGroups/warm/providers/Microsoft.OperationalInsights/workspaces/warm-up/providers/Microsoft.SecurityInsights/alertRules/warm?api-version=2025-07-01-preview`;
  const res = await fetch(warm, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ kind: "Scheduled", properties: {
    displayName: "warm-up", enabled: false, severity: "Low", query: "SecurityEvent | take 1", queryFrequency: "PT1H", queryPeriod: "PT1H",
    triggerOperator: "GreaterThan", triggerThreshold: 0, suppressionEnabled: false, suppressionDuration: "PT1H" } }) });
  if (!res.ok) throw new Error(`emulator warm-up failed: HTTP ${res.status} ${await res.text()}`);
  return {
    url,
    cpuSeconds: () => {
      try {
        const f = readFileSync(`/proc/${child.pid}/stat`, "utf8").split(") ")[1]!.split(" ");
        return (Number(f[11]) + Number(f[12])) / 100; // utime + stime, in clock ticks of 1/100 s
      } catch {
        return undefined;
      }
    },
    stats: async () => (await fetch(`${url}/_emulator/stats`)).json() as Promise<EmulatorStats>,
    resetStats: async () => { await fetch(`${url}/_emulator/stats/reset`, { method: "POST" }); },
    close: () => { child.stdin!.end(); },
  };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "scac-bench-deploy-"));
  const emu = await spawnEmulator();
  try {
    writeContent(dir);
    const subs = Array.from({ length: SUBSCRIPTIONS }, (_, s) => guid(s + 1, 0x5ab5));
    writeFileSync(join(dir, "workspaces.yaml"), `defaults:\n  endpoint: ${emu.url}\n  auth: none\n  resourceGroup: rg-bench\nworkspaces:\n${Array.from({ length: WORKSPACES }, (_, w) =>
      `  - { name: tenant-${w}, subscriptionId: ${subs[w % SUBSCRIPTIONS]}, workspace: ws-tenant-${w} }`).join("\n")}\n`);
    const opts: RunOptions = { workspacesFile: join(dir, "workspaces.yaml"), workspaces: [], prune: false, format: "text", detailedExitCode: false, verbose: false };
    let progress = 0;
    const io = { stdout: () => undefined, stderr: (s: string) => { if (s.startsWith("deploy:")) { if (++progress % 10 === 0) console.log(`  ${s}`); } else console.error(s); } };

    await emu.resetStats();
    const load0 = loadavg()[0]!;
    const cpu0 = process.cpuUsage();
    const ecpu0 = emu.cpuSeconds();
    const t0 = performance.now();
    const first = await runPlanOrDeploy("deploy", opts, io);
    const firstMs = performance.now() - t0;
    const cpu1 = process.cpuUsage(cpu0);
    const ecpu1 = emu.cpuSeconds();
    const s1 = await emu.stats();
    if (first.exitCode !== 0) throw new Error(`first deploy failed (exit ${first.exitCode})`);
    const writesPerSub = (s1.writes.PUT + s1.writes.DELETE) / SUBSCRIPTIONS;
    const lowerBoundMs = Math.max(0, (writesPerSub - BUCKET.burst) / BUCKET.refillPerSec) * 1000;

    await emu.resetStats();
    const cpu2 = process.cpuUsage();
    const t1 = performance.now();
    const second = await runPlanOrDeploy("deploy", opts, io);
    const secondMs = performance.now() - t1;
    const cpu3 = process.cpuUsage(cpu2);
    const cpuS = (c: NodeJS.CpuUsage) => Number(((c.user + c.system) / 1e6).toFixed(1));
    const s2 = await emu.stats();
    if (second.exitCode !== 0) throw new Error(`no-op deploy failed (exit ${second.exitCode})`);

    const result = {
      benchmark: "deploy",
      date: new Date().toISOString(),
      node: process.version,
      setup: { items: ITEMS, workspaces: WORKSPACES, subscriptions: SUBSCRIPTIONS, latencyMs: LATENCY_MS, writeBucket: BUCKET, emulator: "child process" },
      machine: { cores: availableParallelism(), loadAverage1mAtStart: Number(load0.toFixed(1)), loadAverage1mAtEnd: Number(loadavg()[0]!.toFixed(1)) },
      firstDeploy: {
        wallMs: Math.round(firstMs),
        writes: s1.writes,
        writesPerSubscription: writesPerSub,
        throttled429: s1.throttled,
        requests: s1.requests,
        bucketLowerBoundMs: Math.round(lowerBoundMs),
        ratioToLowerBound: lowerBoundMs ? Number((firstMs / lowerBoundMs).toFixed(3)) : null,
        target: "≤ 1.2 × lower bound",
        deployerCpuSeconds: cpuS(cpu1),
        emulatorCpuSeconds: ecpu0 !== undefined && ecpu1 !== undefined ? Number((ecpu1 - ecpu0).toFixed(1)) : null,
      },
      noOpRerun: { wallMs: Math.round(secondMs), writes: s2.writes, requests: s2.requests, deployerCpuSeconds: cpuS(cpu3), target: "≤ 5000 ms, 0 writes" },
    };
    const out = join(dirname(fileURLToPath(import.meta.url)), "results", "deploy.json");
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`deploy: ${ITEMS} items × ${WORKSPACES} workspaces / ${SUBSCRIPTIONS} subscriptions, ${LATENCY_MS} ms latency`);
    console.log(`  first deploy ${(firstMs / 1000).toFixed(1)} s for ${s1.writes.PUT} writes; bucket lower bound ${(lowerBoundMs / 1000).toFixed(1)} s → ${result.firstDeploy.ratioToLowerBound}× (target ≤ 1.2×), ${s1.throttled} throttled`);
    console.log(`  CPU: deployer ${result.firstDeploy.deployerCpuSeconds} s, emulator ${result.firstDeploy.emulatorCpuSeconds} s; load average ${result.machine.loadAverage1mAtStart} → ${result.machine.loadAverage1mAtEnd} on ${result.machine.cores} cores`);
    console.log(`  no-op re-run ${(secondMs / 1000).toFixed(2)} s, ${s2.writes.PUT + s2.writes.DELETE} writes, ${s2.requests} requests (target ≤ 5 s, 0 writes)`);
    console.log(`  → ${out}`);
  } finally {
    emu.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

(process.argv.includes("--emulator-child") ? emulatorChild() : main()).catch((e) => {
  console.error(`deploy bench failed: ${(e as Error).stack ?? e}`);
  process.exitCode = 1;
});
