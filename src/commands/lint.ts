// `scac lint [paths…] [--schemas <dir>]… [--format text|json|sarif|github|azure-devops] [--config <file>]
//            [--cache] [--output-file <f>] [--changed [--base <ref>]] [--jobs <n>]`
// Exit 0: no errors (warnings allowed); 1: errors found; 2: usage, configuration or I/O error.
import { readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { relative, resolve } from "node:path";
import { hasErrors, sortDiagnostics } from "../diagnostics.js";
import { changedFiles } from "../git.js";
import { idChanges } from "../lint/id-change.js";
import { ConfigError } from "../lint/config.js";
import { lintPaths } from "../lint/lint-paths.js";
import { ALL_RULES } from "../lint/rules/index.js";
import { ciAnnotationFormat, formatDiagnostics, OUTPUT_FORMATS, type OutputFormat, type RuleInfo } from "../output/index.js";

const USAGE = `Usage: scac lint [paths…] [options]

Lints hunting queries and analytics rules (default: content/) against the built-in table schemas,
content/schemas/ and any --schemas directories.

Options:
  --schemas <dir>        add a schema directory (repeatable)
  --format <f>           text (default) | json | sarif | github | azure-devops
  --output-file <f>      write the report to a file instead of stdout
  --config <file>        lint configuration (default: .scaclint.yaml when present)
  --cache                reuse KQL analysis from .scac-cache/ (keyed by query, schemas and scac version)
  --changed              report only files changed against git --base (default: HEAD, i.e. uncommitted)
  --base <ref>           git base for --changed (e.g. origin/main)
  --jobs <n>             analyse queries in n worker threads (default 1)
  --workspaces <file>    also check each workspace's content against its schema lock file
                         (content/schemas/<workspace>.yaml, written by \`scac schema pull\`)`;

class UsageError extends Error {}

interface Args {
  paths: string[];
  schemas: string[];
  format: OutputFormat;
  outputFile?: string;
  config?: string;
  cache: boolean;
  changed: boolean;
  base?: string;
  jobs: number;
  /** workspaces.yaml whose lock files (content/schemas/<workspace>.yaml) each rule is also checked against. */
  workspaces?: string;
}

export function parseArgs(argv: readonly string[]): Args {
  const a: Args = { paths: [], schemas: [], format: "text", cache: false, changed: false, jobs: 1 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || (inline === undefined && v.startsWith("--"))) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case "--schemas": a.schemas.push(value()); break;
      case "--format": {
        const f = value();
        if (!OUTPUT_FORMATS.includes(f as OutputFormat)) throw new UsageError(`unknown format '${f}' (expected ${OUTPUT_FORMATS.join(", ")})`);
        a.format = f as OutputFormat;
        break;
      }
      case "--output-file": a.outputFile = value(); break;
      case "--config": a.config = value(); break;
      case "--cache": a.cache = true; break;
      case "--changed": a.changed = true; break;
      case "--base": a.base = value(); break;
      case "--workspaces": a.workspaces = value(); break;
      case "--jobs": {
        const n = Number(value());
        if (!Number.isInteger(n) || n < 1 || n > 64) throw new UsageError("--jobs needs an integer from 1 to 64");
        a.jobs = n;
        break;
      }
      default:
        if (arg.startsWith("-") && arg !== "-") throw new UsageError(`unknown option '${arg}'`);
        a.paths.push(arg);
    }
  }
  if (a.base && !a.changed) throw new UsageError("--base only makes sense with --changed");
  return a;
}

export async function run(argv: string[]): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (e) {
    console.error(`scac lint: ${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const cwd = process.cwd();
  let only: string[] | undefined;
  if (args.changed) {
    try {
      only = [...changedFiles(args.base, cwd)];
    } catch (e) {
      console.error(`scac lint: --changed needs a git checkout and a valid --base: ${((e as { stderr?: string }).stderr || (e as Error).message).trim()}`);
      return 2;
    }
  }
  let result;
  try {
    result = await lintPaths(args.paths, { cwd, schemas: args.schemas, config: args.config, cacheDir: args.cache ? ".scac-cache" : undefined, only, workers: args.jobs });
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(`scac lint: ${e.message}`);
      return 2;
    }
    throw e;
  }
  if (only) {
    // Config still decides severity (or "off") for this finding like any other.
    const { applyConfig } = await import("../lint/engine.js");
    const extra = await idChanges(only, args.base ?? "HEAD", cwd);
    if (extra.length) result.diagnostics = sortDiagnostics([...result.diagnostics, ...applyConfig(extra, result.config)]);
  }
  if (args.workspaces) {
    // Per-tenant schemas: a rule that reads a table or column tenant X lacks is an error here, not a 400 later.
    const { checkWorkspaceSchemas } = await import("../pull/schema-check.js");
    const { applyConfig } = await import("../lint/engine.js");
    const tenant = await checkWorkspaceSchemas({ workspacesFile: resolve(cwd, args.workspaces) });
    const keep = only ? new Set(only) : undefined;
    const extra = tenant.diagnostics
      .filter((d) => !keep || d.line === 0 || keep.has(resolve(cwd, d.file)))
      .map((d) => ({ ...d, file: d.file.startsWith("/") ? relative(cwd, d.file) : d.file }));
    if (extra.length) result.diagnostics = sortDiagnostics([...result.diagnostics, ...applyConfig(extra, result.config)]);
  }
  const rules = new Map<string, RuleInfo>(ALL_RULES.map((r) => [r.id, { id: r.id, description: r.description, help: r.doc ? `${r.description}\n\n${r.doc}` : r.description, defaultSeverity: r.severity }]));
  const source = (file: string) => {
    try { return readFileSync(resolve(cwd, file), "utf8"); } catch { return undefined; }
  };
  const report = formatDiagnostics(args.format, result.diagnostics, { files: result.files, rules, source, root: cwd, tool: { name: "scac", version: "0.1.0" } });
  if (args.outputFile) {
    try {
      await writeFile(resolve(cwd, args.outputFile), report);
    } catch (e) {
      console.error(`scac lint: cannot write ${args.outputFile}: ${(e as Error).message}`);
      return 2;
    }
    if (args.format !== "text") process.stdout.write(formatDiagnostics("text", result.diagnostics, { files: result.files, source }));
  } else {
    process.stdout.write(report);
  }
  // In CI also annotate the pull request, unless stdout already carries a machine-readable report.
  const ci = ciAnnotationFormat();
  if (ci && ci !== args.format && (args.outputFile || args.format === "text")) process.stdout.write(formatDiagnostics(ci, result.diagnostics));
  if (result.ioError) return 2;
  return hasErrors(result.diagnostics) ? 1 : 0;
}
