// A V8 start-up snapshot of an initialised Kusto.Language, so `scac test` does not pay its ~2 s CPU start-up
// (loading the 5 MB bundle, building the parser's grammar and the built-in symbols) in every run. Node 20 has no
// module compile cache, and a code cache saves only ~0.2 s of it; a snapshot (node --build-snapshot) saves ~1.7 s.
//
// The snapshot is a cache: built in the background (a detached process) after a run that found none, used by the
// next runs, which re-execute themselves as `node --snapshot-blob <blob> …`. Its key covers everything it is built
// from — Node version/platform, the Kusto.Language package, scac's version and install path, this file's format —
// so a change of any of them builds a new one. SCAC_SNAPSHOT=0 disables it; SCAC_CACHE_DIR moves it.
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** Bump when the snapshot's content (builder script below) changes. */
const FORMAT = 1;
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
/** The CLI entry the re-executed process runs (compiled JS only: a snapshot cannot carry tsx's loader). */
const CLI = new URL("../cli.js", import.meta.url);
const BUNDLE = ["bridge.min.js", "Kusto.Language.Bridge.min.js"];
/** How node dies on a damaged snapshot blob (an assertion or a bad read while deserialising). */
const CRASH_SIGNALS = new Set<string>(["SIGSEGV", "SIGABRT", "SIGBUS", "SIGILL"]);
/** A build still "running" after this long is assumed dead and may be retried. */
const STALE_LOCK_MS = 10 * 60_000;

export function cacheDir(env = process.env): string {
  if (env.SCAC_CACHE_DIR) return env.SCAC_CACHE_DIR;
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, "scac");
  return join(ROOT, "node_modules/.cache/scac");
}

function kustoDir(): string {
  const require = createRequire(import.meta.url);
  return join(require.resolve("@kusto/language-service-next/package.json"), "..");
}

/** The script node --build-snapshot runs: loads Kusto.Language as the package's own scripts do, then warms it up. */
function builderScript(dir: string): string {
  return `"use strict";
const fs = require("node:fs"), vm = require("node:vm"), path = require("node:path"), v8 = require("node:v8");
const dir = ${JSON.stringify(dir)};
for (const f of ${JSON.stringify(BUNDLE)}) {
  const file = path.join(dir, f);
  const fn = vm.runInThisContext("(function (exports, require, module, __filename, __dirname) {" + fs.readFileSync(file, "utf8") + "\\n})", { filename: file });
  const m = { exports: {} };
  fn(m.exports, require, m, file, dir);
}
const K = globalThis.Kusto.Language;
K.KustoCode.ParseAndAnalyze("print x = 1 | where x > 0 | extend y = strcat('a', tostring(x)) | summarize count() by bin(x, 1)", K.GlobalState.Default);
v8.startupSnapshot.setDeserializeMainFunction(() => {
  const boot = process.env.SCAC_SNAPSHOT_BOOT;
  require("node:module").createRequire(boot)(boot);
});
`;
}

/** Boot module of the re-executed process (a real CommonJS module, so it may import() the ESM CLI). */
const BOOT = `"use strict";
import(process.env.SCAC_SNAPSHOT_CLI).then((m) => m.main(process.argv.slice(1))).then(
  (code) => { process.exitCode = code; },
  (err) => { console.error("scac: internal error: " + (err && err.message ? err.message : err)); process.exitCode = 2; },
);
`;

export interface SnapshotPaths {
  blob: string;
  builder: string;
  boot: string;
  lock: string;
  failed: string;
}

/** File names under the cache directory, keyed by everything the snapshot depends on. */
export function snapshotPaths(dir = cacheDir()): SnapshotPaths {
  const kdir = kustoDir();
  const h = createHash("sha256").update(`${FORMAT}\0${process.version}\0${process.platform}\0${process.arch}\0${fileURLToPath(CLI)}`);
  h.update(readFileSync(join(kdir, "package.json")));
  for (const f of BUNDLE) {
    const s = statSync(join(kdir, f));
    h.update(`\0${f}\0${s.size}\0${s.mtimeMs}`);
  }
  try {
    h.update(readFileSync(join(ROOT, "package.json")));
  } catch {
    // no package.json beside the sources: the install path in the key still separates installs
  }
  h.update(builderScript(kdir));
  const key = h.digest("hex").slice(0, 16);
  const base = join(dir, `kusto-${key}`);
  return { blob: `${base}.blob`, builder: `${base}.build.cjs`, boot: `${base}.boot.cjs`, lock: `${base}.lock`, failed: `${base}.failed` };
}

/** Whether this process may use or build snapshots: compiled JS, not disabled, not already running in one. */
function enabled(env = process.env): boolean {
  return env.SCAC_SNAPSHOT !== "0" && !env.SCAC_SNAPSHOT_CLI && import.meta.url.endsWith(".js") && existsSync(fileURLToPath(CLI));
}

/**
 * CI runners are usually thrown away after the job, so a background build there would only cost CPU; it runs in
 * CI only when asked for (SCAC_SNAPSHOT=1, e.g. with the cache directory kept by actions/cache). A blob that is
 * already there is used everywhere.
 */
export function buildsInBackground(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.SCAC_SNAPSHOT === "1" || !(env.CI || env.TF_BUILD || env.GITHUB_ACTIONS);
}

/**
 * Re-runs this command inside the snapshot when one is ready: resolves with the child's exit code, or undefined
 * when the caller should run in-process (no snapshot yet — one is then built in the background afterwards).
 */
export async function runInSnapshot(argv: string[]): Promise<number | undefined> {
  if (!enabled()) return undefined;
  let p: SnapshotPaths;
  try {
    p = snapshotPaths();
  } catch {
    return undefined;
  }
  if (!existsSync(p.blob)) {
    if (buildsInBackground()) process.once("beforeExit", () => buildInBackground(p));
    return undefined;
  }
  try {
    if (!existsSync(p.boot)) writeFileSync(p.boot, BOOT);
  } catch {
    return undefined;
  }
  const child = spawn(process.execPath, [...process.execArgv, "--snapshot-blob", p.blob, ...argv], {
    stdio: "inherit",
    env: { ...process.env, SCAC_SNAPSHOT_BOOT: p.boot, SCAC_SNAPSHOT_CLI: CLI.href },
  });
  // Ctrl-C reaches the child (same process group); this process only waits for its exit.
  const onSigint = () => {};
  process.on("SIGINT", onSigint);
  return new Promise((res) => {
    child.on("error", () => res(undefined));
    child.on("exit", (code, signal) => {
      process.off("SIGINT", onSigint);
      if (signal && CRASH_SIGNALS.has(signal)) {
        // An unusable blob (e.g. damaged on disk) crashes node while loading it: drop it, run without.
        rmSync(p.blob, { force: true });
        writeFileSync(p.failed, `node --snapshot-blob crashed with ${signal}\n`);
        console.error(`scac: the cached Kusto.Language start-up snapshot could not be loaded (${signal}); removed it, running without`);
        res(undefined);
        return;
      }
      res(code ?? (signal ? 1 : 0));
    });
  });
}

/** Starts a detached build of the snapshot (at most one at a time; a failed build is not retried for this key). */
export function buildInBackground(p: SnapshotPaths): void {
  try {
    if (existsSync(p.blob) || existsSync(p.failed)) return;
    mkdirSync(join(p.blob, ".."), { recursive: true });
    if (existsSync(p.lock) && Date.now() - statSync(p.lock).mtimeMs < STALE_LOCK_MS) return;
    closeSync(openSync(p.lock, "w"));
    const child = spawn(process.execPath, [fileURLToPath(import.meta.url), "--build", JSON.stringify(p)], { detached: true, stdio: "ignore" });
    child.unref();
  } catch {
    // a cache that cannot be written only costs speed
  }
}

/** Builds the snapshot now (the background process runs this): temp file, then an atomic rename. */
export function buildSnapshot(p: SnapshotPaths): boolean {
  const tmp = `${p.blob}.${process.pid}.tmp`;
  try {
    writeFileSync(p.builder, builderScript(kustoDir()));
    const r = spawnSync(process.execPath, ["--snapshot-blob", tmp, "--build-snapshot", p.builder], { stdio: "ignore", cwd: join(p.blob, "..") });
    if (r.status !== 0 || !existsSync(tmp)) {
      writeFileSync(p.failed, `node --build-snapshot exited with ${r.status ?? r.signal}\n`);
      return false;
    }
    renameSync(tmp, p.blob);
    // Snapshots of older keys (other Node or package versions) are 20+ MB each: keep only this one.
    const dir = join(p.blob, "..");
    for (const f of readdirSync(dir)) if (/^kusto-[0-9a-f]{16}\.blob$/.test(f) && join(dir, f) !== p.blob) rmSync(join(dir, f), { force: true });
    return true;
  } finally {
    rmSync(tmp, { force: true });
    rmSync(p.lock, { force: true });
  }
}

// Background builder entry: node snapshot.js --build '<paths json>'.
if (process.argv[2] === "--build" && process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  buildSnapshot(JSON.parse(process.argv[3]!) as SnapshotPaths);
}
