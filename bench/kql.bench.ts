// Local KQL engine benchmark: seeded synthetic DeviceProcessEvents (1M rows, realistic cardinalities) and a
// DeviceInfo dimension; times, after loading, the seed hunting query, a summarize by bin(Timestamp, 1h), a join
// of the two tables, and an mv-expand + parse_json query (also with a second column read) — on the engine and on
// DuckDB (in-memory, equivalent
// SQL over the same data). Writes bench/results/kql.json and prints a summary.
//   node --import tsx bench/kql.bench.ts [rows]
import { mkdirSync, writeFileSync } from "node:fs";
import { setFlagsFromString } from "node:v8";
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { DuckDBInstance } from "@duckdb/node-api";
import { runQueryTyped } from "../src/kql/engine.js";
import { prepareTable, type LoadedTable } from "../src/kql/data.js";
import type { ColumnSchema } from "../src/schemas/model.js";
import type { Value } from "../src/kql/values.js";

// A larger young generation lets the short-lived rows of a streaming pipeline die without promotion (measured:
// ~2× less CPU on summarize-heavy queries). V8 sizes the young generation at start-up, so the benchmark re-runs
// itself with the flag when started without it; `scac query` sets it at run time (partly effective).
const SEMI_SPACE = "--max-semi-space-size=64";
if (!process.execArgv.includes(SEMI_SPACE) && !process.env.KQL_BENCH_CHILD) {
  const r = spawnSync(process.execPath, [...process.execArgv, SEMI_SPACE, fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: "inherit", env: { ...process.env, KQL_BENCH_CHILD: "1" },
  });
  process.exit(r.status ?? 1);
}
setFlagsFromString(SEMI_SPACE);

const ROWS = Number(process.argv[2] ?? 1_000_000);
const REPEAT = 3;
const SETTLE_MS = 300;
const here = dirname(fileURLToPath(import.meta.url));
const NOW = "2024-01-15T00:00:00Z";
const NOW_MS = Date.parse(NOW);

let seed = 42;
const rand = () => {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = <T>(a: readonly T[]) => a[Math.floor(rand() * a.length)]!;
/** Zipf-ish skew: low indexes are much more frequent, as process names are in real telemetry. */
const skewed = <T>(a: readonly T[]) => a[Math.floor(a.length * rand() ** 3)]!;

const shells = ["cmd.exe", "powershell.exe", "cscript.exe", "wscript.exe", "net.exe", "net1.exe", "ping.exe", "whoami.exe"];
const fileNames = [...shells, ...Array.from({ length: 290 }, (_, i) => `proc${i}.exe`)];
const parents = ["explorer.exe", "svchost.exe", "services.exe", ...Array.from({ length: 40 }, (_, i) => `app${i}.exe`), "w3wp.exe", "httpd.exe", "W3WP.EXE"];
const folders = Array.from({ length: 200 }, (_, i) => `C:\\Program Files\\Vendor${i}\\bin`);
const devices = Array.from({ length: 2000 }, (_, i) => ({ id: `dev-${i.toString(16).padStart(6, "0")}`, name: `host${i}.contoso.com` }));
const accounts = Array.from({ length: 5000 }, (_, i) => `user${i}`);
const tags = ["elevated", "signed", "network", "script", "lolbin", "remote", "scheduled"];

const dpeColumns: ColumnSchema[] = [
  { name: "Timestamp", type: "datetime" }, { name: "DeviceId", type: "string" }, { name: "DeviceName", type: "string" },
  { name: "InitiatingProcessFileName", type: "string" }, { name: "FileName", type: "string" },
  { name: "ProcessCommandLine", type: "string" }, { name: "FolderPath", type: "string" },
  { name: "AccountName", type: "string" }, { name: "AdditionalFields", type: "string" },
];
const infoColumns: ColumnSchema[] = [
  { name: "DeviceId", type: "string" }, { name: "OSPlatform", type: "string" }, { name: "MachineGroup", type: "string" },
];

function generate(): { dpe: LoadedTable; info: LoadedTable } {
  const rows: Value[][] = new Array(ROWS);
  const span = 14 * 864e5;
  for (let i = 0; i < ROWS; i++) {
    const d = pick(devices);
    const parent = rand() < 0.02 ? pick(["w3wp.exe", "httpd.exe", "W3WP.EXE"]) : skewed(parents);
    const file = skewed(fileNames);
    const ms = NOW_MS - Math.floor(rand() * span);
    const extra = rand() < 0.1 ? JSON.stringify({ Tags: [pick(tags), pick(tags)], Score: Math.floor(rand() * 10) }) : "";
    rows[i] = [
      BigInt(ms) * 10_000n, d.id, d.name, parent, file, `${file} /c task${Math.floor(rand() * 50_000)}`,
      pick(folders), pick(accounts), extra,
    ];
  }
  const info = devices.map((d, i): Value[] => [d.id, pick(["Windows10", "Windows11", "WindowsServer2019", "WindowsServer2022", "Linux"]), `group${i % 20}`]);
  return { dpe: { columns: dpeColumns, rows }, info: { columns: infoColumns, rows: info } };
}

const queries: { name: string; kql: string; sql: string }[] = [
  {
    name: "seed hunting query",
    kql: `DeviceProcessEvents
| where Timestamp > ago(7d)
| where InitiatingProcessFileName in~ ('w3wp.exe', 'httpd.exe')
| where FileName in~ ('cmd.exe', 'powershell.exe', 'cscript.exe', 'wscript.exe', 'net.exe', 'net1.exe', 'ping.exe', 'whoami.exe')
| summarize instances = count() by ProcessCommandLine, FolderPath, DeviceName, DeviceId
| order by instances asc`,
    sql: `SELECT ProcessCommandLine, FolderPath, DeviceName, DeviceId, count(*) AS instances FROM DeviceProcessEvents
WHERE Timestamp > TIMESTAMP '${NOW.replace("T", " ").replace("Z", "")}' - INTERVAL 7 DAY
  AND lower(InitiatingProcessFileName) IN ('w3wp.exe', 'httpd.exe')
  AND lower(FileName) IN ('cmd.exe', 'powershell.exe', 'cscript.exe', 'wscript.exe', 'net.exe', 'net1.exe', 'ping.exe', 'whoami.exe')
GROUP BY ALL ORDER BY instances`,
  },
  {
    name: "summarize by bin(Timestamp, 1h)",
    kql: `DeviceProcessEvents | summarize n = count(), devices = dcount(DeviceId) by bin(Timestamp, 1h)`,
    sql: `SELECT time_bucket(INTERVAL 1 HOUR, Timestamp) AS Timestamp, count(*) AS n, count(DISTINCT DeviceId) AS devices FROM DeviceProcessEvents GROUP BY 1`,
  },
  {
    name: "join of two tables",
    kql: `DeviceProcessEvents | join kind=inner (DeviceInfo) on DeviceId | summarize n = count() by OSPlatform`,
    sql: `SELECT OSPlatform, count(*) AS n FROM DeviceProcessEvents JOIN DeviceInfo USING (DeviceId) GROUP BY OSPlatform`,
  },
  {
    name: "mv-expand + parse_json",
    kql: `DeviceProcessEvents | where isnotempty(AdditionalFields) | extend f = parse_json(AdditionalFields)
| mv-expand tag = f.Tags | summarize n = count() by Tag = tostring(tag)`,
    sql: `SELECT tag AS Tag, count(*) AS n FROM (SELECT unnest(json_extract_string(AdditionalFields, '$.Tags[*]')) AS tag
FROM DeviceProcessEvents WHERE AdditionalFields <> '') GROUP BY 1`,
  },
  // The same with a second column read (DeviceId): the rows can no longer be counted per distinct AdditionalFields
  // value, so this times the general row-at-a-time pipeline (column demand, dictionary where) on that shape.
  {
    name: "mv-expand + parse_json, 2 columns",
    kql: `DeviceProcessEvents | where isnotempty(AdditionalFields) | extend f = parse_json(AdditionalFields)
| mv-expand tag = f.Tags | summarize n = count(), devices = dcount(DeviceId) by Tag = tostring(tag)`,
    sql: `SELECT tag AS Tag, count(*) AS n, count(DISTINCT DeviceId) AS devices FROM (SELECT DeviceId,
unnest(json_extract_string(AdditionalFields, '$.Tags[*]')) AS tag FROM DeviceProcessEvents WHERE AdditionalFields <> '') GROUP BY 1`,
  },
];

let peakRss = 0, peakHeap = 0;
function sampleMemory() {
  const m = process.memoryUsage();
  peakRss = Math.max(peakRss, m.rss);
  peakHeap = Math.max(peakHeap, m.heapUsed);
}

/** Best wall time and best process CPU time (user+system, all threads) over REPEAT runs. */
async function timeIt(fn: () => unknown): Promise<{ ms: number; cpuMs: number; result: unknown }> {
  let best = Infinity, bestCpu = Infinity, result: unknown;
  for (let i = 0; i < REPEAT; i++) {
    (globalThis as { gc?: () => void }).gc?.();
    // process.cpuUsage() counts every thread: let V8's concurrent sweeping after the forced full GC of the
    // ~1 GB heap finish first, or ~50 ms of it lands in whichever query is timed next.
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    result = await fn();
    best = Math.min(best, performance.now() - t0);
    const c = process.cpuUsage(c0);
    bestCpu = Math.min(bestCpu, (c.user + c.system) / 1000);
    sampleMemory();
  }
  return { ms: best, cpuMs: bestCpu, result };
}

async function duckdb(dpe: LoadedTable, info: LoadedTable) {
  const db = await DuckDBInstance.create(":memory:");
  const con = await db.connect();
  await con.run(`CREATE TABLE raw (ts BIGINT, DeviceId VARCHAR, DeviceName VARCHAR, InitiatingProcessFileName VARCHAR, FileName VARCHAR,
    ProcessCommandLine VARCHAR, FolderPath VARCHAR, AccountName VARCHAR, AdditionalFields VARCHAR)`);
  const app = await con.createAppender("raw");
  for (const r of dpe.rows) {
    app.appendBigInt((r[0] as bigint) / 10n); // 100 ns ticks → microseconds
    for (let i = 1; i < 9; i++) app.appendVarchar(r[i] as string);
    app.endRow();
  }
  app.closeSync();
  await con.run(`CREATE TABLE DeviceProcessEvents AS SELECT make_timestamp(ts) AS Timestamp, * EXCLUDE (ts) FROM raw; DROP TABLE raw`);
  await con.run(`CREATE TABLE DeviceInfo (DeviceId VARCHAR, OSPlatform VARCHAR, MachineGroup VARCHAR)`);
  const a2 = await con.createAppender("DeviceInfo");
  for (const r of info.rows) { for (const v of r) a2.appendVarchar(v as string); a2.endRow(); }
  a2.closeSync();
  return con;
}

async function main() {
  const t0 = performance.now();
  const { dpe, info } = generate();
  console.log(`generated ${ROWS} rows in ${Math.round(performance.now() - t0)} ms`);
  // The load step loadTableFile ends with (dictionaries of the string columns), timed on its own as DuckDB's
  // load is: not part of the query times.
  const p0 = performance.now(), pc0 = process.cpuUsage();
  for (const t of [dpe, info]) prepareTable(t);
  const pc = process.cpuUsage(pc0);
  const prepare = { ms: Math.round(performance.now() - p0), cpuMs: Math.round((pc.user + pc.system) / 1000) };
  console.log(`prepareTable (dictionary-encoding the string columns) ${prepare.ms} ms wall / ${prepare.cpuMs} ms cpu`);
  const tables = new Map<string, LoadedTable>([["DeviceProcessEvents", dpe], ["DeviceInfo", info]]);
  sampleMemory();
  const con = await duckdb(dpe, info);
  const results: Record<string, unknown>[] = [];
  for (const q of queries) {
    const engine = await timeIt(() => runQueryTyped(q.kql, { tables, now: NOW }));
    const rowsOut = (engine.result as { rows: unknown[] }).rows.length;
    const duck = await timeIt(async () => (await con.runAndReadAll(q.sql)).getRows());
    const duckRows = (duck.result as unknown[]).length;
    // Additional information only (the headline ratio is against default DuckDB): DuckDB on one thread, as the
    // engine runs, so its wall time is comparable per core.
    await con.run("SET threads = 1");
    const duck1 = await timeIt(async () => (await con.runAndReadAll(q.sql)).getRows());
    await con.run("RESET threads");
    const r1 = (x: number) => Math.round(x * 10) / 10;
    const entry = {
      query: q.name,
      engineMs: r1(engine.ms),
      engineCpuMs: r1(engine.cpuMs),
      engineRowsPerSec: Math.round(ROWS / (engine.ms / 1000)),
      engineRowsPerCpuSec: Math.round(ROWS / (engine.cpuMs / 1000)),
      duckdbMs: r1(duck.ms),
      duckdbCpuMs: r1(duck.cpuMs),
      ratioToDuckDB: Math.round((engine.ms / duck.ms) * 100) / 100,
      cpuRatioToDuckDB: Math.round((engine.cpuMs / duck.cpuMs) * 100) / 100,
      duckdbOneThreadMs: r1(duck1.ms),
      duckdbOneThreadCpuMs: r1(duck1.cpuMs),
      ratioToDuckDBOneThread: Math.round((engine.ms / duck1.ms) * 100) / 100,
      resultRows: rowsOut,
      duckdbResultRows: duckRows,
    };
    results.push(entry);
    console.log(`${q.name.padEnd(32)} engine ${String(entry.engineMs).padStart(7)} ms wall / ${String(entry.engineCpuMs).padStart(7)} ms cpu (${(entry.engineRowsPerSec / 1e6).toFixed(2)} M rows/s)  duckdb ${String(entry.duckdbMs).padStart(6)} ms wall / ${String(entry.duckdbCpuMs).padStart(6)} ms cpu  ratio ${entry.ratioToDuckDB}× wall, ${entry.cpuRatioToDuckDB}× cpu  (1-thread duckdb ${entry.duckdbOneThreadMs} ms wall: ${entry.ratioToDuckDBOneThread}×)  rows ${rowsOut}/${duckRows}`);
  }
  const seedQ = results[0]!;
  const summary = {
    rows: ROWS,
    repeat: REPEAT,
    note: "best of REPEAT runs after loading, each after a forced GC and a 300 ms pause for its background sweeping; engine times include Kusto.Language analysis and compilation of the query; cpu = process user+system time (all DuckDB threads); DuckDB runs with its default thread count (headline ratios); duckdbOneThread* = the same SQL after SET threads = 1, for information",
    cpus: (await import("node:os")).cpus().length,
    loadavg: (await import("node:os")).loadavg().map((x) => Math.round(x * 100) / 100),
    node: process.version,
    prepareTableMs: prepare.ms,
    prepareTableCpuMs: prepare.cpuMs,
    results,
    seedQueryRowsPerSec: seedQ.engineRowsPerSec,
    seedQueryTargetRowsPerSec: 2_000_000,
    peakRssMB: Math.round(peakRss / 1048576),
    peakHeapUsedMB: Math.round(peakHeap / 1048576),
  };
  mkdirSync(join(here, "results"), { recursive: true });
  writeFileSync(join(here, "results", "kql.json"), JSON.stringify(summary, null, 2) + "\n");
  console.log(`peak RSS ${summary.peakRssMB} MB, peak heap ${summary.peakHeapUsedMB} MB → bench/results/kql.json`);
}

main().catch((e) => { console.error(e); process.exitCode = 1; });
