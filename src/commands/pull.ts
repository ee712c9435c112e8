// `scac pull --workspace <name> [--workspaces <file>] [--output <dir>] [--overwrite]`
// Exit 0: pulled (round-trip notes are warnings); 1: the workspace could not be read; 2: bad usage.
import { parseArgs } from "node:util";
import { relative } from "node:path";
import { formatDiagnostic } from "../diagnostics.js";
import { pull } from "../pull/pull.js";

const USAGE = "usage: scac pull --workspace <name> [--workspaces <file>] [--output <content dir>] [--overwrite]";

export async function run(argv: string[]): Promise<number> {
  let v;
  try {
    v = parseArgs({ args: argv, options: {
      workspace: { type: "string" }, workspaces: { type: "string", default: "workspaces.yaml" },
      output: { type: "string", default: "content" }, overwrite: { type: "boolean", default: false },
    } }).values;
  } catch (e) {
    console.error(`scac pull: ${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (!v.workspace) {
    console.error(`scac pull: --workspace is required\n${USAGE}`);
    return 2;
  }
  const r = await pull({ workspacesFile: v.workspaces!, workspace: v.workspace, output: v.output!, overwrite: v.overwrite! });
  for (const d of r.diagnostics) console.error(formatDiagnostic(d));
  if (r.failed) return 1;
  const rel = (p: string) => relative(process.cwd(), p) || p;
  for (const i of r.items) {
    const mark = i.status === "kept" ? "=" : i.roundTrip.length ? "~" : "+";
    console.log(`${mark} ${i.kind.padEnd(9)} ${rel(i.file)}  ${i.name} [${i.id}]${i.status === "kept" ? " (exists, kept)" : ""}${i.testFile ? ` + ${rel(i.testFile)}` : ""}`);
  }
  const exact = r.items.filter((i) => i.status !== "kept" && i.roundTrip.length === 0).length;
  const changed = r.items.filter((i) => i.roundTrip.length > 0).length;
  console.log(`\n${v.workspace}: ${r.items.filter((i) => i.status !== "kept").length} written (${exact} exact round trip, ${changed} the first deploy would change), ${r.items.filter((i) => i.status === "kept").length} kept, ${r.skipped.length} skipped`);
  console.log("Next: fill in the TODO test cases, then `scac plan` shows the adopted items as ownership-only updates; `scac deploy` records ownership without rewriting them.");
  return 0;
}
