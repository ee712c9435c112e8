// Builtin coverage report: the engine's registry (plus functions the compiler handles itself) against
// Kusto.Language's own scalar-function and aggregate symbols. Writes docs/kql-coverage.md.
//   node --import tsx scripts/kql-coverage.ts [--out docs/kql-coverage.md] [--check]
// --check prints the summary without writing the file.
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { kusto, type KAny } from "../src/kql/kusto.js";
import { allAggregateNames, allScalarNames } from "../src/kql/builtins/index.js";
import { COMPILER_FUNCTIONS } from "../src/kql/runtime/coverage.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** Families outside the engine's scope (issue 3): geospatial, graph, ML/plugins-only, and host/cluster context. */
const EXCLUDED: { family: string; test: (name: string) => boolean }[] = [
  { family: "geospatial (geo_*, H3, S2, geohash, polygons)", test: (n) => n.startsWith("geo_") || n.startsWith("__geo_") },
  { family: "graph (graph-match patterns)", test: (n) => ["graph", "all", "any", "map", "inner_nodes", "node_id", "node_degree_in", "node_degree_out", "labels"].includes(n) },
  {
    family: "cluster / database / entity references",
    test: (n) => ["cluster", "database", "table", "external_table", "materialized_view", "entity_group", "stored_query_result"].includes(n),
  },
  {
    family: "host context (cluster, principal, extents, cursors, ingestion)",
    test: (n) => /^(current_|extent_|cursor_|ingestion_time$|row_id$|estimate_data_size$)/.test(n),
  },
];

function symbols(list: KAny): { name: string; hidden: boolean }[] {
  const out: { name: string; hidden: boolean }[] = [];
  for (const s of list as KAny[]) out.push({ name: String(s.Name), hidden: Boolean(s.IsHidden) });
  return out;
}

/**
 * Function names the compiler implements itself: the engine's own list (runtime/coverage.ts) plus the
 * `case "name":` labels of the compiler's call() dispatcher, so neither can drift unnoticed.
 */
function compilerHandled(): Set<string> {
  const src = readFileSync(path.join(root, "src/kql/compiler.ts"), "utf8");
  const start = src.indexOf("private call(");
  const body = start < 0 ? "" : src.slice(start, src.indexOf("\n  }\n", start));
  return new Set([...COMPILER_FUNCTIONS, ...[...body.matchAll(/case "([a-z_0-9]+)"/g)].map((m) => m[1]!)]);
}

/** A family label for grouping the missing list. */
function familyOf(name: string): string {
  const rules: [RegExp, string][] = [
    [/^series_|^make_series|^fft|^ifft/, "time series (series_*)"],
    [/^(array_|set_|bag_|pack|zip|treepath|repeat|range|jaccard)/, "dynamic"],
    [/^(ipv4_|ipv6_|parse_ipv|format_ipv|has_.*ipv4)/, "IP"],
    [/^(datetime_|format_datetime|format_timespan|unixtime_|startof|endof|make_datetime|make_timespan|dayof|week|month|hourof|getyear|getmonth|now|ago|bin)/, "datetime"],
    [/^(hash|base64|url_|gzip|zlib|punycode|unicode|to_utf8)/, "encoding / hashing"],
    [/^(to[a-z]+|parse_|extract|replace|split|str|trim|substring|indexof|countof|reverse|translate|regex|has_any_index|is(ascii|utf8))/, "string / conversion / parsing"],
    [/^(percentile|percentrank|rank_tdigest|tdigest|hll|dcount_hll|merge_tdigest)/, "sketches (tdigest / hll)"],
    [/^(row_|prev$|next$)/, "window (serialize)"],
    [/^(beta_|erf|gamma|loggamma|welch|convert_|format_bytes)/, "math / statistics / units"],
  ];
  for (const [re, f] of rules) if (re.test(name)) return f;
  return "other";
}

function main(): void {
  const args = process.argv.slice(2);
  const check = args.includes("--check");
  const outIdx = args.indexOf("--out");
  const out = path.resolve(root, outIdx >= 0 ? args[outIdx + 1]! : "docs/kql-coverage.md");

  const K = kusto();
  const fns = symbols(K.Functions.All).filter((s) => !s.hidden);
  const aggs = symbols(K.Aggregates.All).filter((s) => !s.hidden);
  const scalarImpl = new Set(allScalarNames());
  const aggImpl = new Set(allAggregateNames());
  const compiler = compilerHandled();

  const excluded = new Map<string, string[]>();
  const inScope: string[] = [];
  for (const f of fns) {
    const ex = EXCLUDED.find((e) => e.test(f.name));
    if (ex) excluded.set(ex.family, [...(excluded.get(ex.family) ?? []), f.name]);
    else inScope.push(f.name);
  }
  const scalarDone = inScope.filter((n) => scalarImpl.has(n) || compiler.has(n));
  const scalarMissing = inScope.filter((n) => !scalarImpl.has(n) && !compiler.has(n));
  const aggDone = aggs.filter((a) => aggImpl.has(a.name)).map((a) => a.name);
  const aggMissing = aggs.filter((a) => !aggImpl.has(a.name)).map((a) => a.name);

  const pct = (a: number, b: number) => (b === 0 ? "—" : `${((100 * a) / b).toFixed(1)}%`);
  const total = inScope.length + aggs.length;
  const done = scalarDone.length + aggDone.length;
  const summary = [
    `| kind | Kusto.Language symbols in scope | implemented | coverage |`,
    `|---|---:|---:|---:|`,
    `| scalar functions | ${inScope.length} | ${scalarDone.length} | ${pct(scalarDone.length, inScope.length)} |`,
    `| aggregate functions | ${aggs.length} | ${aggDone.length} | ${pct(aggDone.length, aggs.length)} |`,
    `| **total** | ${total} | ${done} | **${pct(done, total)}** |`,
  ].join("\n");

  if (check) {
    console.log(summary);
    return;
  }

  const byFamily = new Map<string, string[]>();
  for (const n of scalarMissing) byFamily.set(familyOf(n), [...(byFamily.get(familyOf(n)) ?? []), n]);
  const code = (xs: string[]) => xs.sort().map((x) => `\`${x}\``).join(", ");

  const md = [
    "# KQL builtin coverage",
    "",
    "Generated by `node --import tsx scripts/kql-coverage.ts` from the engine's builtin registry",
    "(`src/kql/builtins/`) and the functions the compiler handles itself, compared with Kusto.Language's own",
    "non-hidden function and aggregate symbols (`Kusto.Language.Functions.All`, `Kusto.Language.Aggregates.All`,",
    "@kusto/language-service-next). Hidden symbols (deprecated aliases such as `makeset`, `parsejson`) are not",
    "counted; the registry implements many of them as aliases. Anything not implemented fails with",
    "`unsupported: function <name>()`.",
    "",
    summary,
    "",
    `Compiler-handled functions counted as implemented: ${code([...compiler].filter((n) => inScope.includes(n)))}.`,
    "",
    "## Missing scalar functions, by family",
    "",
    ...[...byFamily.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([f, xs]) => `- **${f}** (${xs.length}): ${code(xs)}`),
    "",
    "## Missing aggregate functions",
    "",
    aggMissing.length ? code(aggMissing) : "none",
    "",
    "## Excluded from the count (out of scope)",
    "",
    ...[...excluded.entries()].map(([f, xs]) => `- **${f}** (${xs.length}): ${code(xs)}`),
    "",
  ].join("\n");
  writeFileSync(out, md);
  console.log(summary);
  console.log(`wrote ${path.relative(root, out)}`);
}

main();
