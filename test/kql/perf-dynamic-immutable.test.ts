// Dynamic values are shared, never copied per row: parse_json's memo hands one parsed object to every row with
// the same text, dynamic constants and table cells are read by every row and every query. So no builtin or
// operator may edit a dynamic value in place. These tests deep-freeze the inputs (ESM modules are strict, so any
// in-place edit of a frozen array or bag throws a TypeError) and run every registered builtin and the
// dynamic-handling operators over them.
import { afterEach, describe, expect, test } from "vitest";
import { runQueryTyped } from "../../src/kql/engine.js";
import type { LoadedTable } from "../../src/kql/data.js";
import {
  allAggregateNames, allScalarNames, getAggregate, getScalar, type EvalContext, type ParamType,
} from "../../src/kql/builtins/index.js";
import { deepFreeze, freezeParsedJsonForTests } from "../../src/kql/builtins/conversion.js";
import type { Dyn, KqlType, Value } from "../../src/kql/values.js";

const FROZEN_WRITE = /read[- ]only|not extensible|Cannot (assign|add|delete|define|redefine)|frozen/i;
const ctx: EvalContext = { now: 0n, random: () => 0.5 };

/** Fresh deep-frozen dynamic values of every shape the builtins take. */
const pool = (): Dyn[] => ([
  [3, 1, 2], ["b", "a", "c"], [1.5, null, 2], [[1, 2], [3]], [], {},
  { b: 1, a: [1, 2], c: { d: "x" } }, [{ k: 1 }, { k: 2 }], { a: 1 },
] as Dyn[]).map(deepFreeze);

function sample(p: ParamType, d: Dyn): { v: Value; t: KqlType } {
  switch (p) {
    case "dynamic": case "any": case "scalar": return { v: d, t: "dynamic" };
    case "numeric": case "integral": case "int": case "long": return { v: 1, t: p === "int" ? "int" : "long" };
    case "real": case "decimal": return { v: 1.5, t: p };
    case "string": return { v: "a", t: "string" };
    case "bool": return { v: true, t: "bool" };
    case "datetime": return { v: 0n, t: "datetime" };
    case "timespan": return { v: 10_000_000n, t: "timespan" };
    case "guid": return { v: "00000000-0000-0000-0000-000000000000", t: "guid" };
  }
}

/** Runs f and reports whether it failed by writing into a frozen value (other failures are bad arguments). */
function writesFrozen(f: () => unknown): boolean {
  try {
    f();
    return false;
  } catch (e) {
    return e instanceof TypeError && FROZEN_WRITE.test(e.message);
  }
}

afterEach(() => freezeParsedJsonForTests(false));

describe("no builtin edits a dynamic argument in place", () => {
  test("the detector sees an in-place edit of a frozen array or bag", () => {
    const [arr] = pool();
    expect(writesFrozen(() => (arr as number[]).sort())).toBe(true);
    expect(writesFrozen(() => { (pool()[6] as Record<string, Dyn>).z = 1; })).toBe(true);
    expect(writesFrozen(() => { throw new TypeError("bad argument"); })).toBe(false);
  });

  test("every scalar overload, with frozen arrays and bags in each dynamic/any position", () => {
    const violations: string[] = [];
    let calls = 0;
    const seen = new Set<unknown>();
    for (const name of allScalarNames()) {
      const fn = getScalar(name)!;
      if (seen.has(fn)) continue;
      seen.add(fn);
      for (const ov of fn.overloads) {
        if (!ov.params.some((p) => p === "dynamic" || p === "any" || p === "scalar")) continue;
        const arities = ov.variadic ? [ov.params.length, ov.params.length + 1] : [ov.params.length];
        for (const n of arities) {
          for (const d of pool()) {
            const parts = Array.from({ length: n }, (_, i) => sample(ov.params[Math.min(i, ov.params.length - 1)]!, d));
            const types = parts.map((x) => x.t);
            const label = `${fn.name}(${types.join(", ")}) with ${JSON.stringify(d)}`;
            calls++;
            if (writesFrozen(() => ov.impl(parts.map((x) => x.v), ctx, types))) violations.push(label);
            if (ov.specialize && writesFrozen(() => {
              const one = ov.specialize!(parts.slice(1).map((x) => x.v), types);
              one?.(parts[0]!.v);
            })) violations.push(`${label} (specialised)`);
          }
        }
      }
    }
    expect(calls).toBeGreaterThan(500);
    expect(violations).toEqual([]);
  });

  test("every aggregate, fed frozen arrays and bags (plain, per-run and grouped accumulators)", () => {
    const shapes: KqlType[][] = [["dynamic"], ["dynamic", "bool"], ["dynamic", "long"], ["long", "dynamic"], ["dynamic", "dynamic"]];
    const other = (t: KqlType): Value => (t === "bool" ? true : 1);
    const violations: string[] = [];
    let fed = 0;
    for (const name of allAggregateNames()) {
      const agg = getAggregate(name)!;
      for (const types of shapes) {
        const rows = pool().map((d) => types.map((t) => (t === "dynamic" ? d : other(t))));
        const label = `${name}(${types.join(", ")})`;
        const feed = (make: () => { add(a: Value[]): void; result(): Value; results?(): Value[] }) => {
          const acc = make();
          for (const r of rows) { acc.add([...r]); acc.add([...r]); fed++; }
          acc.result();
          acc.results?.();
        };
        if (writesFrozen(() => feed(() => agg.create(types, ctx)))) violations.push(label);
        if (agg.groups && writesFrozen(() => feed(agg.groups!(types, ctx)))) violations.push(`${label} (groups)`);
        if (agg.grouped && writesFrozen(() => {
          const g = agg.grouped!(types, ctx);
          g.addGroup();
          g.addGroup();
          rows.forEach((r, i) => { g.add(i % 2, [...r]); g.add(i % 2, [...r]); });
          g.result(0);
          g.result(1);
        })) violations.push(`${label} (grouped)`);
      }
    }
    expect(fed).toBeGreaterThan(100);
    expect(violations).toEqual([]);
  });
});

describe("operators over shared (memoised, frozen) dynamic values", () => {
  // Every row of T repeats one of two texts, so parse_json's memo gives the rows the same objects.
  const docs = ['{"Tags":["b","a"],"Bag":{"x":1,"y":[2,3]},"N":[3,1,2]}', '{"Tags":["c"],"Bag":{"z":"q"},"N":[]}'];
  const T: LoadedTable = {
    columns: [{ name: "i", type: "long" }, { name: "s", type: "string" }, { name: "d", type: "dynamic" }],
    rows: Array.from({ length: 6 }, (_, i) => [i, docs[i % 2]!, deepFreeze(JSON.parse(docs[i % 2]!) as Dyn)]),
  };
  const run = (q: string) => runQueryTyped(q, { tables: new Map([["T", T]]), now: "2024-01-01T00:00:00Z" }).rows;
  const base = "T | extend f = parse_json(s)";

  test("mv-expand, mv-apply, bag_unpack, summarize and dynamic builtins leave the shared values intact", () => {
    freezeParsedJsonForTests(true);
    const queries = [
      `${base} | mv-expand with_itemindex = k t = f.Tags, b = f.Bag | summarize count() by tostring(t), tostring(b), k`,
      `${base} | mv-expand kind = array b = f.Bag | extend k = tostring(b[0]) | summarize count() by k`,
      `${base} | mv-expand n = f.N to typeof(long) limit 2 | summarize sum(n)`,
      `${base} | mv-expand d.Tags | summarize count() by tostring(d_Tags)`,
      `${base} | mv-apply t = f.Tags to typeof(string) on (order by t asc | extend u = strcat(t, "!")) | summarize make_list(u)`,
      `${base} | mv-apply n = f.N to typeof(long) on (summarize m = max(n)) | project m`,
      `${base} | project b = f.Bag | evaluate bag_unpack(b)`,
      `${base} | summarize make_bag(f.Bag), make_list(f.N), make_set(f.Tags), make_list(f), arg_max(i, f), take_any(f) by tostring(f.Tags)`,
      `${base} | summarize make_bag(d.Bag), make_set(d.N), dcount(tostring(d))`,
      `${base} | extend a = array_sort_asc(f.N), r = array_reverse(f.Tags), u = set_union(f.Tags, d.Tags), m = bag_merge(f.Bag, d.Bag)`,
      `${base} | extend k = bag_set_key(f.Bag, "x", 9), rm = bag_remove_keys(f.Bag, dynamic(["x"])), z = zip(f.Tags, f.N)`,
      `${base} | extend c = array_concat(f.N, f.N), sl = array_slice(f.N, 0, 1), sh = array_shift_left(f.N, 1), ro = array_rotate_right(f.N, 1)`,
      `${base} | extend sd = array_sort_desc(f.Tags), ss = set_difference(f.Tags, dynamic(["a"])), si = set_intersect(f.Tags, f.Tags)`,
      `${base} | extend bk = bag_keys(f.Bag), p = bag_pack("o", f), e = extract_json("$.Bag.y", s, typeof(dynamic))`,
      `${base} | order by i desc | extend t = f.Tags | mv-expand t | project i, t`,
    ];
    const failures: string[] = [];
    const results = queries.map((q) => {
      try {
        return run(q);
      } catch (e) {
        failures.push(`${q}: ${(e as Error).message}`);
        return [];
      }
    });
    expect(failures).toEqual([]);
    // The shared values are as parsed: the first row's document (and a fresh parse) still reads the same.
    expect(run(`${base} | where i == 0 | project tostring(f), tostring(d)`)).toEqual([
      ['{"Tags":["b","a"],"Bag":{"x":1,"y":[2,3]},"N":[3,1,2]}', '{"Tags":["b","a"],"Bag":{"x":1,"y":[2,3]},"N":[3,1,2]}'],
    ]);
    // Results do not depend on whether the shared values are frozen.
    freezeParsedJsonForTests(false);
    expect(queries.map((q) => run(q))).toEqual(results);
  });

  test("spot checks worked out by hand", () => {
    freezeParsedJsonForTests(true);
    // Rows 0, 2, 4 expand Tags ["b","a"] (2 rows each), rows 1, 3, 5 expand ["c"].
    expect(run(`${base} | mv-expand t = f.Tags | summarize n = count() by T = tostring(t) | order by T asc`))
      .toEqual([["a", 3], ["b", 3], ["c", 3]]);
    // array_sort_asc copies: N keeps its order in the same row.
    expect(run(`${base} | where i == 0 | project a = array_sort_asc(f.N), n = f.N`)).toEqual([[[1, 2, 3], [3, 1, 2]]]);
    // bag_set_key copies: the bag seen by the next expression is unchanged.
    expect(run(`${base} | where i == 0 | project k = bag_set_key(f.Bag, "x", 9), b = f.Bag`))
      .toEqual([[{ x: 9, y: [2, 3] }, { x: 1, y: [2, 3] }]]);
  });
});
