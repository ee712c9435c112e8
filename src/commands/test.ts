// `scac test [paths…] [--reporter default|junit|github-actions|json] [--output-file F] [--update] [--watch]
//  [--changed [--base <ref>]] [--schemas <dir>]… [--coverage-gate error|warning|off] [--workers <n>]`
// Runs only the content tests (sidecar *.test.yaml files) with scac's own runner — the same core the vitest
// entry (test/content.test.ts) uses, so results are identical — and reports them for people or pipelines.
import { existsSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import type { ReporterName } from "../testing/reporters.js";
import type { SessionOptions } from "../testing/session.js";
import { runInSnapshot } from "../testing/snapshot.js";

const USAGE = "usage: scac test [paths…] [--reporter default|junit|github-actions|json] [--output-file <f>] [--update] [--watch] [--changed [--base <ref>]] [--schemas <dir>]… [--coverage-gate error|warning|off] [--workers <n>] [--engine local|kusto --cluster <uri> [--database <db>]]";

export async function run(argv: string[]): Promise<number> {
  // In a process started from the Kusto.Language start-up snapshot when one is cached (src/testing/snapshot.ts);
  // the runner is loaded only when this process runs the tests itself.
  const viaSnapshot = await runInSnapshot(["test", ...argv]);
  if (viaSnapshot !== undefined) return viaSnapshot;
  const [{ REPORTERS, report }, { defaultSchemaDirs }, { changedFiles, runSession }, { watchTests }] = await Promise.all([
    import("../testing/reporters.js"), import("../testing/runner.js"), import("../testing/session.js"), import("../testing/watch.js"),
  ]);
  let args;
  try {
    args = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        reporter: { type: "string", default: "default" },
        "output-file": { type: "string" },
        update: { type: "boolean", default: false },
        watch: { type: "boolean", default: false },
        changed: { type: "boolean", default: false },
        base: { type: "string" },
        schemas: { type: "string", multiple: true },
        "coverage-gate": { type: "string", default: "error" },
        "no-coverage-gate": { type: "boolean", default: false },
        workers: { type: "string" },
        engine: { type: "string", default: "local" },
        cluster: { type: "string" },
        database: { type: "string" },
      },
    });
  } catch (e) {
    console.error(`scac test: ${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  const v = args.values;
  const reporter = v.reporter as ReporterName;
  if (!REPORTERS.includes(reporter)) {
    console.error(`scac test: unknown reporter '${v.reporter}' (one of ${REPORTERS.join(", ")})`);
    return 2;
  }
  const gate = v["no-coverage-gate"] ? "off" : v["coverage-gate"];
  if (gate !== "error" && gate !== "warning" && gate !== "off") {
    console.error(`scac test: --coverage-gate must be error, warning or off`);
    return 2;
  }
  const workers = v.workers === undefined ? undefined : Number(v.workers);
  if (workers !== undefined && !(Number.isInteger(workers) && workers >= 1)) {
    console.error("scac test: --workers must be a positive integer");
    return 2;
  }
  const missing = args.positionals.filter((p) => !existsSync(p));
  if (missing.length) {
    console.error(`scac test: no such file or directory: ${missing.join(", ")}`);
    return 2;
  }
  let engine: SessionOptions["engine"];
  if (v.engine === "kusto") {
    // The same cases on a real Kusto engine (ADX, the Kusto emulator): docs/adopt.md.
    if (!v.cluster) {
      console.error("scac test: --engine kusto needs --cluster <uri> (e.g. http://localhost:8080 for the Kusto emulator)");
      return 2;
    }
    const { createKustoEngine, KustoConfigError } = await import("../kusto/engine.js");
    try {
      engine = createKustoEngine({ cluster: v.cluster, database: v.database });
    } catch (e) {
      if (!(e instanceof KustoConfigError)) throw e;
      console.error(`scac test: ${e.message}`);
      return 2;
    }
  } else if (v.engine !== "local") {
    console.error(`scac test: --engine must be local or kusto (got '${v.engine}')`);
    return 2;
  }
  const opts: SessionOptions = {
    engine,
    workers,
    paths: args.positionals.length ? args.positionals : ["content"],
    schemaDirs: v.schemas ? [...defaultSchemaDirs(), ...v.schemas] : undefined,
    coverage: { level: gate },
    update: v.update,
  };
  if (v.changed) {
    try {
      opts.onlyChanged = changedFiles(v.base);
    } catch (e) {
      console.error(`scac test: --changed needs a git checkout (${(e as Error).message.split("\n")[0]})`);
      return 2;
    }
  }
  if (v.watch) {
    await watchTests(opts, (text) => process.stdout.write(text), reporter);
    return 0;
  }
  const s = await runSession(opts);
  const text = report(reporter, s, { color: reporter === "default" && !v["output-file"] && process.stdout.isTTY });
  if (v["output-file"]) {
    writeFileSync(v["output-file"], text);
    // The file is for machines; people watching the job still see the summary.
    if (reporter !== "default") process.stdout.write(report("default", s));
  } else {
    process.stdout.write(text);
  }
  for (const f of s.updatedFiles) console.error(`updated ${f} (review the filled-in expect: blocks)`);
  const failed = s.results.some((r) => r.status !== "pass") || s.diagnostics.some((d) => d.severity === "error");
  return failed ? 1 : 0;
}
