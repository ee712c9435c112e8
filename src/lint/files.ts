// Which files are content: *.yaml / *.yml under the given paths, minus test sidecars (*.test.yaml), schema
// directories, dot-directories, node_modules and the config's ignore globs. Folders are only a hint: the
// content loader classifies each file by its fields.
import { readdir, stat } from "node:fs/promises";
import { join, relative, resolve, sep } from "node:path";
import picomatch from "picomatch";
import type { Diagnostic } from "../diagnostics.js";

export interface Discovered {
  /** Absolute paths, sorted. */
  files: string[];
  diagnostics: Diagnostic[];
}

const CONTENT_RE = /\.ya?ml$/i;
const SIDECAR_RE = /\.test\.ya?ml$/i;

export function isContentFileName(name: string): boolean {
  return CONTENT_RE.test(name) && !SIDECAR_RE.test(name);
}

export async function discoverContent(paths: readonly string[], opts: { cwd: string; exclude: readonly string[]; ignore: readonly string[]; ignoreBase: string }): Promise<Discovered> {
  const exclude = opts.exclude.map((p) => resolve(opts.cwd, p));
  const isExcluded = (abs: string) => exclude.some((e) => abs === e || abs.startsWith(e + sep));
  const ignored = opts.ignore.length ? picomatch(opts.ignore as string[], { dot: true }) : () => false;
  const isIgnored = (abs: string) => ignored(relative(opts.ignoreBase, abs).split(sep).join("/"));
  const files = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  const walk = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (e) {
      diagnostics.push({ file: relative(opts.cwd, dir) || ".", line: 0, column: 0, rule: "io", severity: "error", message: `cannot read directory: ${(e as Error).message}` });
      return;
    }
    for (const e of entries) {
      if (e.name.startsWith(".") || e.name === "node_modules") continue;
      const p = join(dir, e.name);
      if (isExcluded(p) || isIgnored(p)) continue;
      if (e.isDirectory()) await walk(p);
      else if (e.isFile() && isContentFileName(e.name)) files.add(p);
    }
  };
  for (const given of paths) {
    const abs = resolve(opts.cwd, given);
    let st;
    try {
      st = await stat(abs);
    } catch {
      diagnostics.push({ file: given, line: 0, column: 0, rule: "io", severity: "error", message: "no such file or directory" });
      continue;
    }
    if (st.isDirectory()) await walk(abs);
    else if (!SIDECAR_RE.test(abs) && !isIgnored(abs)) files.add(abs);
  }
  return { files: [...files].sort(), diagnostics };
}
