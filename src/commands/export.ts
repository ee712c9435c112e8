// `scac export arm [paths…] [--output <dir>] [--workspaces <file> --workspace <name>]`
// One ARM template per content item under <dir> (default arm/), mirroring the content tree. With a workspace,
// its parameters and overrides are applied (per-tenant templates); otherwise parameter defaults.
// Exit 0: all exported; 1: some item could not be built or written; 2: bad usage.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { loadContentFile } from "../content/loader.js";
import type { ContentItem } from "../content/model.js";
import { formatDiagnostic, type Diagnostic } from "../diagnostics.js";
import { readWorkspaces } from "../deploy/workspaces.js";
import { exportArm, exportTarget } from "../export/arm.js";
import { discoverContentFiles } from "../testing/runner.js";

const USAGE = "usage: scac export arm [paths…] [--output <dir>] [--workspaces <file> --workspace <name>]";

export async function run(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({ args: argv, allowPositionals: true, options: {
      output: { type: "string", default: "arm" }, workspaces: { type: "string" }, workspace: { type: "string" },
    } });
  } catch (e) {
    console.error(`scac export: ${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  const [what, ...paths] = args.positionals;
  if (what !== "arm") {
    console.error(`scac export: ${what ? `unknown format '${what}'` : "say what to export"} (only 'arm')\n${USAGE}`);
    return 2;
  }
  const diagnostics: Diagnostic[] = [];
  let { target, config } = exportTarget();
  if (args.values.workspace) {
    const wf = await readWorkspaces(args.values.workspaces ?? "workspaces.yaml");
    diagnostics.push(...wf.diagnostics);
    const t = wf.value?.workspaces.find((w) => w.name === args.values.workspace);
    if (!wf.value || !t) {
      if (wf.value) console.error(`scac export: no workspace '${args.values.workspace}' in ${wf.value.file}`);
      for (const d of diagnostics) console.error(formatDiagnostic(d));
      return 2;
    }
    target = t;
    config = wf.value;
  }
  const items: ContentItem[] = [];
  for (const f of await discoverContentFiles(paths.length ? paths : ["content"])) {
    const r = await loadContentFile(f, relative(process.cwd(), f) || f);
    diagnostics.push(...r.diagnostics.filter((d) => d.severity === "error"));
    if (r.item && r.item.query) items.push(r.item);
  }
  const out = exportArm(items, target, config);
  diagnostics.push(...out.diagnostics);
  let written = 0;
  for (const { item, template } of out.templates) {
    const rel = item.file.replace(/^content[\\/]/, "").replace(/\.ya?ml$/i, ".json");
    const file = join(resolve(args.values.output!), rel);
    try {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, `${JSON.stringify(template, null, 2)}\n`);
      written++;
      console.log(`${relative(process.cwd(), file)}  ${item.name}`);
    } catch (e) {
      diagnostics.push({ file: item.file, line: 0, column: 0, rule: "export/io", severity: "error", message: `cannot write ${file}: ${(e as Error).message}` });
    }
  }
  for (const d of diagnostics) console.error(formatDiagnostic(d));
  console.log(`${written} template(s) written to ${args.values.output}`);
  return diagnostics.some((d) => d.severity === "error") ? 1 : 0;
}
