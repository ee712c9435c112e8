// `scac schema pull --workspace <name> [--workspaces <file>] [--output <file>]`
//   → content/schemas/<name>.yaml (lint loads content/schemas automatically; --schemas <dir> for other places)
// `scac schema check [--workspaces <file>] [--workspace <name>]… [--schemas <dir>]`
//   → every selected item against each workspace's own lock file (tenant-specific errors only)
// Exit 0: ok; 1: read failure / problems found; 2: bad usage.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { parseArgs } from "node:util";
import { formatDiagnostic } from "../diagnostics.js";
import { checkWorkspaceSchemas } from "../pull/schema-check.js";
import { schemaPull } from "../pull/schema.js";

const USAGE = `usage: scac schema pull --workspace <name> [--workspaces <file>] [--output <file>]
       scac schema check [--workspaces <file>] [--workspace <name>]… [--schemas <dir>]`;

export async function run(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({ args: argv, allowPositionals: true, options: {
      workspace: { type: "string", multiple: true }, workspaces: { type: "string", default: "workspaces.yaml" },
      output: { type: "string" }, schemas: { type: "string" },
    } });
  } catch (e) {
    console.error(`scac schema: ${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  const v = args.values;
  const [sub, ...rest] = args.positionals;
  if (rest.length) {
    console.error(`scac schema: unexpected argument '${rest[0]}'\n${USAGE}`);
    return 2;
  }
  if (sub === "pull") {
    if (v.workspace?.length !== 1) {
      console.error(`scac schema pull: give exactly one --workspace\n${USAGE}`);
      return 2;
    }
    const name = v.workspace[0]!;
    const r = await schemaPull(v.workspaces!, name);
    for (const d of r.diagnostics) console.error(formatDiagnostic(d));
    if (!r.text || !r.lock) return 1;
    const out = v.output ?? join("content", "schemas", `${name}.yaml`);
    try {
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(out, r.text);
    } catch (e) {
      console.error(`scac schema pull: cannot write ${out}: ${(e as Error).message}`);
      return 1;
    }
    const custom = r.lock.tables.filter((t) => /_CL$/i.test(t.name)).length;
    console.log(`${relative(process.cwd(), out) || out}: ${r.lock.tables.length} tables (${custom} custom _CL), ${r.lock.functions.length} functions, ${r.lock.watchlists.length} watchlists`);
    return 0;
  }
  if (sub === "check") {
    const r = await checkWorkspaceSchemas({ workspacesFile: v.workspaces!, schemaDir: v.schemas, workspaces: v.workspace });
    for (const d of r.diagnostics) console.error(formatDiagnostic(d));
    for (const w of r.workspaces) console.log(`${w.name}: ${w.lock ? `${w.checked} item(s) checked against ${relative(process.cwd(), w.lock) || w.lock}` : "no schema lock (not checked)"}`);
    return r.diagnostics.some((d) => d.severity === "error") ? 1 : 0;
  }
  console.error(`scac schema: ${sub ? `unknown subcommand '${sub}'` : "say pull or check"}\n${USAGE}`);
  return 2;
}
