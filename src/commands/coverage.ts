// `scac coverage [paths…] [--format markdown|navigator|json] [--output-file <f>]`
// Exit 0 on success, 1 when a content file could not be loaded (its diagnostics are printed), 2 on usage errors.
import { writeFile } from "node:fs/promises";
import { relative } from "node:path";
import { parseArgs } from "node:util";
import { loadContentFile } from "../content/loader.js";
import type { ContentItem } from "../content/model.js";
import { computeCoverage, coverageMarkdown, navigatorLayer } from "../coverage/attack.js";
import { formatDiagnostic, type Diagnostic } from "../diagnostics.js";
import { discoverContent } from "../lint/files.js";

const USAGE = "Usage: scac coverage [paths…] [--format markdown|navigator|json] [--output-file <f>]";
const FORMATS = ["markdown", "navigator", "json"] as const;

export async function run(argv: string[]): Promise<number> {
  let values: { format?: string; "output-file"?: string };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      options: { format: { type: "string", default: "markdown" }, "output-file": { type: "string" } },
      allowPositionals: true,
      strict: true,
    }));
  } catch (e) {
    console.error(`scac coverage: ${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  const format = values.format as (typeof FORMATS)[number];
  if (!FORMATS.includes(format)) {
    console.error(`scac coverage: --format must be one of ${FORMATS.join(", ")}\n${USAGE}`);
    return 2;
  }
  const cwd = process.cwd();
  const found = await discoverContent(positionals.length ? positionals : ["content"], {
    cwd, exclude: ["content/schemas"], ignore: [], ignoreBase: cwd,
  });
  const diagnostics: Diagnostic[] = [...found.diagnostics];
  const items: ContentItem[] = [];
  for (const file of found.files) {
    const r = await loadContentFile(file, relative(cwd, file));
    diagnostics.push(...r.diagnostics);
    if (r.item) items.push(r.item);
  }
  for (const d of diagnostics) console.error(formatDiagnostic(d));
  const coverage = computeCoverage(items);
  const text =
    format === "markdown" ? coverageMarkdown(coverage)
    : format === "navigator" ? JSON.stringify(navigatorLayer(coverage), null, 2) + "\n"
    : JSON.stringify(coverage, null, 2) + "\n";
  if (values["output-file"]) await writeFile(values["output-file"], text);
  else process.stdout.write(text);
  return diagnostics.some((d) => d.severity === "error") ? 1 : 0;
}
