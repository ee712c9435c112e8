// Builtin coverage: the scalar and aggregate functions Kusto.Language knows, against what the engine runs
// (registry entries plus the functions the compiler itself implements). Printed into the README by:
//   node --import tsx -e "import('./src/kql/runtime/coverage.ts').then((m) => console.log(m.coverageMarkdown()))"
import "../builtins/index.js";
import { allAggregateNames, allScalarNames } from "../builtins/registry.js";
import { kusto, type KAny } from "../kusto.js";

/** Functions the compiler implements directly (they need rows, tables or the query plan). */
export const COMPILER_FUNCTIONS = ["toscalar", "materialize", "view", "row_number", "row_cumsum", "row_window_session", "prev", "next", "pack_all", "column_ifexists", "columnifexists"];

export interface Coverage {
  scalars: { known: number; implemented: number; missing: string[] };
  aggregates: { known: number; implemented: number; missing: string[] };
}

const symbolNames = (o: KAny): string[] =>
  [...new Set(Object.values(o).filter((v: KAny) => v && typeof v === "object" && typeof v.Name === "string").map((v: KAny) => String(v.Name)))]
    .filter((n) => !n.startsWith("__")) // internal helpers of the service
    .sort();

export function builtinCoverage(): Coverage {
  const K = kusto();
  const fns = symbolNames(K.Functions), aggs = symbolNames(K.Aggregates);
  const have = new Set([...allScalarNames(), ...COMPILER_FUNCTIONS]);
  const haveAgg = new Set(allAggregateNames());
  const fMissing = fns.filter((n) => !have.has(n));
  const aMissing = aggs.filter((n) => !haveAgg.has(n));
  return {
    scalars: { known: fns.length, implemented: fns.length - fMissing.length, missing: fMissing },
    aggregates: { known: aggs.length, implemented: aggs.length - aMissing.length, missing: aMissing },
  };
}

export function coverageMarkdown(): string {
  const c = builtinCoverage();
  const geo = (n: string) => /^(geo_|h3|s2)/.test(n);
  const missingGeo = c.scalars.missing.filter(geo);
  return [
    `| | Kusto.Language | implemented |`,
    `|---|---:|---:|`,
    `| scalar functions | ${c.scalars.known} | ${c.scalars.implemented} |`,
    `| aggregate functions | ${c.aggregates.known} | ${c.aggregates.implemented} |`,
    ``,
    `Not implemented (each raises \`unsupported: function <name>(…) at line:col\`):`,
    ``,
    `- scalars: ${c.scalars.missing.filter((n) => !geo(n)).join(", ")}`,
    `- geospatial scalars (out of scope): ${missingGeo.length} functions (${missingGeo.slice(0, 5).join(", ")}, …)`,
    `- aggregates: ${c.aggregates.missing.join(", ")}`,
  ].join("\n");
}
