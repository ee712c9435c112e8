// `scac test --watch`: runs once, then re-runs the affected test files whenever a test file, its content file,
// a fixture it reads or a schema changes (fs.watch, recursive). New test files are picked up on the next change.
import { watch } from "node:fs";
import { resolve } from "node:path";
import { report, type ReporterName } from "./reporters.js";
import { runSession, type SessionOptions, type SessionResult } from "./session.js";

/** Test files a change to `file` affects (empty set = none; undefined = everything, e.g. a schema change). */
export function affectedTestFiles(last: SessionResult | undefined, file: string): Set<string> | undefined {
  if (!last || /[\\/]schemas[\\/]/.test(file)) return undefined;
  const out = new Set<string>();
  for (const f of last.files) {
    if (f.absPath === file || f.contentFile === file || f.fixtureFiles.includes(file)) out.add(f.absPath);
  }
  if (file.endsWith(".test.yaml")) out.add(file); // a new test file
  return out;
}

export async function watchTests(opts: SessionOptions, write: (text: string) => void, reporter: ReporterName, signal?: AbortSignal): Promise<void> {
  let last = await runSession(opts);
  write(report(reporter, last));
  write("\nWatching for changes (Ctrl+C to stop)…\n");
  const roots = opts.paths.map((p) => resolve(p));
  let pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let running = Promise.resolve();
  const flush = () => {
    const changed = pending;
    pending = new Set();
    running = running.then(async () => {
      let only: Set<string> | undefined = new Set();
      for (const f of changed) {
        const a = affectedTestFiles(last, f);
        if (!a) { only = undefined; break; }
        for (const x of a) only.add(x);
      }
      if (only && only.size === 0) return;
      const s = await runSession({ ...opts, onlyTestFiles: only });
      if (!only) last = s;
      else last = { ...s, files: [...last.files.filter((f) => !only!.has(f.absPath)), ...s.files] };
      write(`\n— re-ran ${only ? `${only.size} test file${only.size === 1 ? "" : "s"}` : "all tests"} after changes to ${[...changed].map((f) => f.replace(process.cwd() + "/", "")).join(", ")}\n`);
      write(report(reporter, s));
    });
  };
  const watchers = roots.map((root) =>
    watch(root, { recursive: true, signal }, (_event, name) => {
      if (!name) return;
      const file = resolve(root, name.toString());
      if (!/\.(ya?ml|jsonl?|ndjson|csv)$/i.test(file)) return;
      pending.add(file);
      clearTimeout(timer);
      timer = setTimeout(flush, 150); // editors write files in several steps
    }),
  );
  await new Promise<void>((done) => {
    if (signal) signal.addEventListener("abort", () => done(), { once: true });
    process.once("SIGINT", () => done());
  });
  clearTimeout(timer);
  for (const w of watchers) w.close();
  await running;
}
