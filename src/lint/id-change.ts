// Azure-Sentinel's idChangeValidator, for `--changed`: a content item's id must never change once it exists on
// the base branch (deployed rules are keyed by it; a new id orphans the old rule and its incidents' history).
import { execFileSync } from "node:child_process";
import { relative } from "node:path";
import { parse } from "yaml";
import type { Diagnostic } from "../diagnostics.js";
import { loadContentFile } from "../content/loader.js";

/** Compares each changed file's id with its version at `base`; files new at `base` are skipped. */
export async function idChanges(files: readonly string[], base: string, cwd: string): Promise<Diagnostic[]> {
  const out: Diagnostic[] = [];
  let top: string;
  try {
    top = execFileSync("git", ["rev-parse", "--show-toplevel"], { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return out;
  }
  for (const abs of files) {
    if (!/\.ya?ml$/i.test(abs) || /\.test\.ya?ml$/i.test(abs)) continue;
    let old: unknown;
    try {
      const text = execFileSync("git", ["show", `${base}:${relative(top, abs).split("\\").join("/")}`], { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], maxBuffer: 8 * 1024 * 1024 });
      old = parse(text, { maxAliasCount: 50 });
    } catch {
      continue; // new file, or unparsable at base: nothing to compare
    }
    const oldId = old && typeof old === "object" ? (old as Record<string, unknown>).id : undefined;
    if (typeof oldId !== "string" || oldId === "") continue;
    const file = relative(cwd, abs);
    const now = await loadContentFile(abs, file);
    if (!now.item || !now.item.id || now.item.id.toLowerCase() === oldId.toLowerCase()) continue;
    const p = now.item.positionOf(["id"]);
    out.push({ file, line: p.line, column: p.column, rule: "id-changed", severity: "error", message: `id changed from ${oldId} (at ${base}) to ${now.item.id}; ids must never change once content exists` });
  }
  return out;
}
