// `scac query`: runs KQL on the local engine over sample-event files.
//   scac query (-e <kql> | --file <f.kql> | stdin) [--table Name=file]… [--schemas dir]… [--now ISO]
//              [--format table|json|csv] [--batch cases.jsonl] [--externaldata <url>=<file>]…
// Exit codes: 0 ok, 1 runtime or data failure, 2 syntax/semantic error (or bad usage), 3 unsupported feature.
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { createReadStream } from "node:fs";
import { KqlError, type QueryResult } from "../kql/api.js";

const USAGE = "usage: scac query (-e <kql> | --file <f.kql> | stdin) [--table Name=file.json|.jsonl|.csv]… [--schemas <dir>]… [--now <ISO>] [--format table|json|csv] [--batch <cases.jsonl>] [--externaldata <url>=<file>]…";

interface Args {
  kql?: string;
  file?: string;
  tables: { name: string; path: string }[];
  schemaDirs: string[];
  now?: string;
  format: "table" | "json" | "csv";
  batch?: string;
  /** externaldata URL → local file (parsed with the operator's format). */
  externalData: Record<string, string>;
}

function parseArgs(argv: string[]): Args | string {
  const a: Args = { tables: [], schemaDirs: [], format: "table", externalData: {} };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf("=");
    const [flag, inline] = arg.startsWith("--") && eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined];
    const value = (): string => {
      if (inline !== undefined) return inline;
      const v = argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    try {
      switch (flag) {
        case "-e": case "--query": a.kql = value(); break;
        case "--file": a.file = value(); break;
        case "--table": {
          const v = value();
          const k = v.indexOf("=");
          if (k <= 0) return `--table expects Name=file, got '${v}'`;
          a.tables.push({ name: v.slice(0, k), path: v.slice(k + 1) });
          break;
        }
        case "--schemas": a.schemaDirs.push(value()); break;
        case "--now": a.now = value(); break;
        case "--format": {
          const f = value();
          if (f !== "table" && f !== "json" && f !== "csv") return `--format must be table, json or csv (got '${f}')`;
          a.format = f;
          break;
        }
        case "--batch": a.batch = value(); break;
        case "--externaldata": {
          // URLs carry '=' in their query strings (SAS tokens): the file is what follows the last '='.
          const v = value();
          const k = v.lastIndexOf("=");
          if (k <= 0 || k === v.length - 1) return `--externaldata expects <url>=<file>, got '${v}'`;
          a.externalData[v.slice(0, k)] = v.slice(k + 1);
          break;
        }
        default: return `unknown option '${arg}'`;
      }
    } catch (e) {
      return (e as Error).message;
    }
  }
  if (a.kql !== undefined && a.file !== undefined) return "give the query with -e or --file, not both";
  return a;
}

export function exitCodeFor(kind: KqlError["kind"]): number {
  switch (kind) {
    case "syntax": case "semantic": return 2;
    case "unsupported": return 3;
    default: return 1;
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  if (typeof args === "string") {
    console.error(`scac query: ${args}\n${USAGE}`);
    return 2;
  }
  // Short-lived rows flow through the engine's streaming pipeline; a larger young generation keeps them out of
  // the old space (measured ~2× less CPU on large summarize queries).
  (await import("node:v8")).setFlagsFromString("--max-semi-space-size=64");
  // Heavy modules load only now (Kusto.Language, the builtins).
  const { runQueryTyped } = await import("../kql/engine.js");
  const { loadTableFile } = await import("../kql/data.js");
  const { formatCsv, formatJson, formatTable, resultToJson } = await import("../kql/format.js");
  const { loadSchemas } = await import("../schemas/loader.js");
  const { formatDiagnostic } = await import("../diagnostics.js");

  const loaded = await loadSchemas(args.schemaDirs);
  for (const d of loaded.diagnostics) if (d.severity === "error") console.error(formatDiagnostic(d));
  const schemas = loaded.schemas;
  const tables = new Map<string, ReturnType<typeof loadTableFile>>();
  try {
    for (const t of args.tables) tables.set(t.name, loadTableFile(t.path, schemas.tables.get(t.name)));
  } catch (e) {
    if (e instanceof KqlError) { console.error(`scac query: ${e.message}`); return 1; }
    throw e;
  }

  if (args.batch) return runBatch(args.batch, (query, now) => runQueryTyped(query, { tables, schemas, now: now ?? args.now, externalData: args.externalData }), resultToJson);

  let kql = args.kql;
  let source = "<-e>";
  if (kql === undefined && args.file !== undefined) {
    source = args.file;
    try {
      kql = readFileSync(args.file, "utf8");
    } catch (e) {
      console.error(`scac query: cannot read ${args.file}: ${(e as Error).message}`);
      return 2;
    }
  }
  if (kql === undefined) {
    if (process.stdin.isTTY) { console.error(`scac query: no query given\n${USAGE}`); return 2; }
    kql = await readStdin();
    source = "<stdin>";
  }
  try {
    const result = runQueryTyped(kql, { tables, schemas, now: args.now, externalData: args.externalData });
    const out = args.format === "json" ? formatJson(result) + "\n" : args.format === "csv" ? formatCsv(result) : formatTable(result);
    process.stdout.write(out);
    return 0;
  } catch (e) {
    if (e instanceof KqlError) {
      const where = e.line ? `${source}:${e.line}:${e.column}: ` : `${source}: `;
      console.error(`${where}${e.kind} error: ${e.message.replace(/^\d+:\d+: /, "")}`);
      return exitCodeFor(e.kind);
    }
    throw e;
  }
}

/** One JSON line per case, in input order; the engine (and Kusto.Language) is loaded once for all cases. */
async function runBatch(
  path: string,
  exec: (query: string, now: string | undefined) => QueryResult,
  toJson: (r: QueryResult) => unknown,
): Promise<number> {
  let input: NodeJS.ReadableStream;
  try {
    input = path === "-" ? process.stdin : createReadStream(path, "utf8");
  } catch (e) {
    console.error(`scac query: cannot read ${path}: ${(e as Error).message}`);
    return 2;
  }
  const rl = createInterface({ input, crlfDelay: Infinity });
  let lineNo = 0;
  let bad = 0;
  try {
    for await (const line of rl) {
      lineNo++;
      if (line.trim() === "") continue;
      let c: { id?: unknown; query?: unknown; now?: unknown };
      try {
        c = JSON.parse(line);
      } catch (e) {
        console.error(`${path}:${lineNo}: invalid JSON (${(e as Error).message})`);
        bad++;
        continue;
      }
      const id = c.id ?? null;
      if (typeof c.query !== "string") {
        process.stdout.write(JSON.stringify({ id, error: { kind: "syntax", message: "case has no 'query' string" } }) + "\n");
        continue;
      }
      let out: unknown;
      try {
        const r = exec(c.query, typeof c.now === "string" ? c.now : undefined);
        out = { id, ...(toJson(r) as object) };
      } catch (e) {
        const kind = e instanceof KqlError ? (e.kind === "data" ? "runtime" : e.kind) : "runtime";
        out = { id, error: { kind, message: (e as Error)?.message ?? String(e) } };
      }
      process.stdout.write(JSON.stringify(out) + "\n");
    }
  } catch (e) {
    console.error(`scac query: cannot read ${path}: ${(e as Error).message}`);
    return 2;
  }
  return bad ? 1 : 0;
}
