// summarize's fast paths (src/kql/runtime/group.ts) against the general path and against values computed here
// independently: grouping by bin(datetime, constant) through floating-point bin numbers must give exactly the
// groups, keys and order of exact BigInt arithmetic — at bin edges, before 1970, near 0001 and 9999, with nulls.
import { describe, expect, it } from "vitest";
import { runQueryTyped } from "../../src/kql/engine.js";
import { resultToJson } from "../../src/kql/format.js";
import type { LoadedTable } from "../../src/kql/data.js";
import type { Value } from "../../src/kql/values.js";
import { groupIndex } from "../../src/kql/runtime/group.js";
import { createRng } from "../../src/random.js";

const HOUR = 36_000_000_000n;
const DAY = 24n * HOUR;
/** Ticks of 0001-01-01 and of 9999-12-31 relative to the Unix epoch (the engine's datetime origin). */
const MIN_TICKS = -621_355_968_000_000_000n;
const MAX_TICKS = 2_534_022_144_000_000_000n - 1n;

/** floor(v / w) · w in BigInt: the bin of v, written independently of the engine. */
const floorBin = (v: bigint, w: bigint): bigint => {
  const q = v / w;
  return (v % w !== 0n && v < 0n ? q - 1n : q) * w;
};

/** Datetimes that stress the float path: bin edges ± a few thousand ticks, far past/future, nulls. */
function trickyTicks(seed: number, n: number, w: bigint): (bigint | null)[] {
  const rnd = createRng(seed);
  const out: (bigint | null)[] = [];
  const span = MAX_TICKS - MIN_TICKS;
  for (let i = 0; i < n; i++) {
    const kind = Math.floor(rnd() * 6);
    const anywhere = MIN_TICKS + (span * BigInt(Math.floor(rnd() * 1e9))) / 1_000_000_000n;
    const edge = floorBin(anywhere, w) + BigInt(Math.floor(rnd() * 8192) - 4096);
    if (kind === 0) out.push(null);
    else if (kind === 1) out.push(edge);
    else if (kind === 2) out.push(anywhere);
    else if (kind === 3) out.push(BigInt(Math.floor((rnd() - 0.5) * 2 * 3e17))); // around 1970, both sides
    else if (kind === 4) out.push(rnd() < 0.5 ? MIN_TICKS + BigInt(Math.floor(rnd() * 1e12)) : MAX_TICKS - BigInt(Math.floor(rnd() * 1e12)));
    else out.push(floorBin(anywhere, w)); // exactly on an edge
  }
  return out;
}

describe("group index: bin(datetime, constant) through float bin numbers", () => {
  for (const [label, w] of [["1s", 10_000_000n], ["1m", 600_000_000n], ["1h", HOUR], ["5m", 3_000_000_000n], ["1d", DAY]] as const) {
    it(`matches exact BigInt bins and first-appearance order (${label})`, () => {
      const values = trickyTicks(Number(w % 1000n) + 7, 4000, w);
      // Repeat the values so most rows hit groups already made.
      const rows: Value[][] = [...values, ...values.slice().reverse()].map((v) => [v]);
      const index = groupIndex([{
        f: (r) => (r[0] === null ? null : floorBin(r[0] as bigint, w)),
        binDatetime: { value: (r) => r[0]!, size: w },
      }]);
      const expectedKeys: (bigint | null)[] = [];
      const seen = new Map<bigint | null, number>();
      for (const r of rows) {
        const v = r[0] as bigint | null;
        const b = v === null ? null : floorBin(v, w);
        if (!seen.has(b)) { seen.set(b, expectedKeys.length); expectedKeys.push(b); }
        expect(index.of(r)).toBe(seen.get(b));
      }
      expect(index.keys.map((k) => k[0])).toEqual(expectedKeys);
    });
  }
});

const tsColumns = [{ name: "Timestamp", type: "datetime" as const }, { name: "Id", type: "string" as const }, { name: "N", type: "long" as const }];

function table(rows: Value[][]): Map<string, LoadedTable> {
  return new Map([["T", { columns: tsColumns, rows }]]);
}

function run(kql: string, tables: Map<string, LoadedTable>) {
  return resultToJson(runQueryTyped(kql, { tables }));
}

describe("summarize by bin(datetime, constant): fast path equals the general path", () => {
  const rnd = createRng(11);
  const ticks = trickyTicks(3, 3000, HOUR);
  const rows: Value[][] = ticks.map((t, i) => [t, `id${Math.floor(rnd() * 40)}`, i % 7 === 0 ? null : Math.floor(rnd() * 100)]);
  const tables = table(rows);
  // `extend b = bin(…) | summarize by b` groups by a column: the general single-key path.
  for (const size of ["1h", "1s", "15m", "1d", "7h", "100ms", "30m + 30m"]) {
    it(`bin(Timestamp, ${size}) with count, dcount, sum and arg_max`, () => {
      const aggs = "n = count(), d = dcount(Id), s = sum(N), m = arg_max(N, Id)";
      const fast = run(`T | summarize ${aggs} by bin(Timestamp, ${size})`, tables);
      const general = run(`T | extend Timestamp = bin(Timestamp, ${size}) | summarize ${aggs} by Timestamp`, tables);
      expect(fast.rows.length).toBeGreaterThan(100);
      expect(fast).toEqual(general);
    });
  }
  it("floor() is bin()", () => {
    expect(run("T | summarize count() by floor(Timestamp, 1h)", tables).rows)
      .toEqual(run("T | summarize count() by bin(Timestamp, 1h)", tables).rows);
  });
  it("matches hand-computed groups, nulls and a date before 1970", () => {
    // 1969-12-31 23:30 → bin 1969-12-31 23:00; 1970-01-01 00:59:59.9999999 → 00:00; null → its own group.
    const hand: Value[][] = [
      [-18_000_000_000n, "a", 1], [HOUR - 1n, "b", 2], [null, "c", 3], [-1n, "a", 4], [0n, "b", 5], [null, "c", 6],
    ];
    const out = run("T | summarize n = count(), d = dcount(Id), s = sum(N) by bin(Timestamp, 1h)", table(hand));
    expect(out.rows).toEqual([
      ["1969-12-31T23:00:00Z", 2, 1, 5],
      ["1970-01-01T00:00:00Z", 2, 1, 7],
      [null, 2, 1, 9],
    ]);
  });
  it("empty input: no groups with a key, one group without", () => {
    expect(run("T | summarize count(), dcount(Id) by bin(Timestamp, 1h)", table([])).rows).toEqual([]);
    expect(run("T | summarize count(), dcount(Id)", table([])).rows).toEqual([[0, 0]]);
  });
});

describe("dcount per group through the grouped state (one interner, group-indexed sets)", () => {
  it("string values that look like inherited or numeric names are ordinary values", () => {
    const ids = ["__proto__", "constructor", "", "0", "toString", "__proto__", "00", "", "hasOwnProperty", "constructor"];
    const rows: Value[][] = ids.map((id, i) => [BigInt(i % 2) * HOUR, id, i]);
    // Group 0 (even rows): __proto__, "", toString, 00, hasOwnProperty → 5; group 1: constructor, 0, __proto__, "", constructor → 4.
    expect(run("T | summarize d = dcount(Id) by bin(Timestamp, 1h)", table(rows)).rows.map((r) => r[1])).toEqual([5, 4]);
  });
  it("equals distinct counts computed here, with dcountif and count_distinct, over many sparse and dense groups", () => {
    const rnd = createRng(21);
    // Group g draws from ids 0..g*7: early groups sparse, later ones dense; "" is a value, as strings are never null.
    const rows: Value[][] = Array.from({ length: 5000 }, () => {
      const g = Math.floor(rnd() * 60);
      const id = Math.floor(rnd() * (g * 7 + 1));
      return [BigInt(g) * HOUR, id === 0 ? "" : `id${id}`, id % 3];
    });
    const out = run("T | summarize d = dcount(Id), c = count_distinct(Id), f = dcountif(Id, N == 1) by bin(Timestamp, 1h)", table(rows));
    const expected = new Map<bigint, { d: Set<string>; f: Set<string> }>();
    for (const [t, id, n] of rows as [bigint, string, number][]) {
      const e = expected.get(t) ?? { d: new Set<string>(), f: new Set<string>() };
      expected.set(t, e);
      e.d.add(id);
      if (n === 1) e.f.add(id);
    }
    expect(out.rows.map((r) => r.slice(1))).toEqual([...expected.values()].map((e) => [e.d.size, e.d.size, e.f.size]));
  });
});
