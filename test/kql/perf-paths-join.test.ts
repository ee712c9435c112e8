// join's hash probe and the summarize-over-join fast path (groups looked up once per right row, see
// src/kql/runtime/group.ts) against a nested-loop join written here and against the general summarize path,
// on random tables with duplicate keys on both sides, null keys and unmatched rows, for every pair-producing kind.
import { describe, expect, it } from "vitest";
import { runQueryTyped } from "../../src/kql/engine.js";
import { resultToJson } from "../../src/kql/format.js";
import type { LoadedTable } from "../../src/kql/data.js";
import type { Value } from "../../src/kql/values.js";
import { createRng } from "../../src/random.js";

type L = { Lk: number | null; Lv: number | null; Ls: string };
type R = { Rk: number | null; Rp: string; Rq: number | null };

function tables(seed: number, nl: number, nr: number): { l: L[]; r: R[]; tables: Map<string, LoadedTable> } {
  const rnd = createRng(seed);
  const key = (): number | null => (rnd() < 0.1 ? null : Math.floor(rnd() * 30));
  const l: L[] = Array.from({ length: nl }, () => ({ Lk: key(), Lv: rnd() < 0.1 ? null : Math.floor(rnd() * 50), Ls: `s${Math.floor(rnd() * 8)}` }));
  // Null keys on the left only: a null key on both sides is refused (whether nulls match is undocumented).
  const r: R[] = Array.from({ length: nr }, () => ({ Rk: Math.floor(rnd() * 30), Rp: ["Windows10", "Linux", "macOS", ""][Math.floor(rnd() * 4)]!, Rq: rnd() < 0.2 ? null : Math.floor(rnd() * 3) }));
  return {
    l, r,
    tables: new Map<string, LoadedTable>([
      ["L", { columns: [{ name: "Lk", type: "long" }, { name: "Lv", type: "long" }, { name: "Ls", type: "string" }], rows: l.map((x) => [x.Lk, x.Lv, x.Ls]) }],
      ["R", { columns: [{ name: "Rk", type: "long" }, { name: "Rp", type: "string" }, { name: "Rq", type: "long" }], rows: r.map((x) => [x.Rk, x.Rp, x.Rq]) }],
    ]),
  };
}

const NULL_L: L = { Lk: null, Lv: null, Ls: "" };
const NULL_R: R = { Rk: null, Rp: "", Rq: null };

/** The join by its definition (join-operator.md): equal non-null keys pair up; innerunique keeps the first left row per key. */
function nestedLoop(kind: string, l: L[], r: R[]): [L, R][] {
  const eq = (a: L, b: R) => a.Lk !== null && a.Lk === b.Rk;
  const left = kind === "innerunique" ? l.filter((x, i) => x.Lk === null || l.findIndex((y) => y.Lk === x.Lk) === i) : l;
  const out: [L, R][] = [];
  for (const a of left) {
    const m = r.filter((b) => eq(a, b));
    for (const b of m) out.push([a, b]);
    if (m.length === 0 && (kind === "leftouter" || kind === "fullouter")) out.push([a, NULL_R]);
  }
  if (kind === "rightouter" || kind === "fullouter") for (const b of r) if (!l.some((a) => eq(a, b))) out.push([NULL_L, b]);
  return out;
}

const run = (kql: string, t: Map<string, LoadedTable>) => resultToJson(runQueryTyped(kql, { tables: t }));
const sorted = (rows: unknown[][]) => rows.map((x) => JSON.stringify(x)).sort();

describe("summarize over join: fast path equals the nested-loop join and the general path", () => {
  for (const kind of ["inner", "innerunique", "leftouter", "rightouter", "fullouter"]) {
    for (const seed of [1, 2, 3]) {
      it(`${kind} (seed ${seed})`, () => {
        const { l, r, tables: t } = tables(seed, 300, 60);
        const join = `L | join kind=${kind} (R) on $left.Lk == $right.Rk`;
        // Grouped by right-side columns only: the fused path; `extend` in between forces the general path.
        const fast = run(`${join} | summarize n = count() by Rp`, t);
        const general = run(`${join} | extend z = 0 | summarize n = count() by Rp`, t);
        expect(fast).toEqual(general);
        const counts = new Map<string, number>();
        for (const [, b] of nestedLoop(kind, l, r)) counts.set(b.Rp, (counts.get(b.Rp) ?? 0) + 1);
        expect(sorted(fast.rows)).toEqual(sorted([...counts].map(([p, n]) => [p, n])));

        // Aggregates reading left columns and two right keys (one nullable): the joined row is assembled per pair.
        const aggs = "n = count(), s = sum(Lv), d = dcount(Ls), lk = make_set(Lk)";
        const fast2 = run(`${join} | summarize ${aggs} by Rp, Rq`, t);
        expect(fast2).toEqual(run(`${join} | extend z = 0 | summarize ${aggs} by Rp, Rq`, t));
        const groups = new Map<string, { n: number; s: number; d: Set<string>; lk: Set<number> }>();
        for (const [a, b] of nestedLoop(kind, l, r)) {
          const k = JSON.stringify([b.Rp, b.Rq]);
          const g = groups.get(k) ?? { n: 0, s: 0, d: new Set(), lk: new Set() };
          groups.set(k, g);
          g.n++;
          if (a.Lv !== null) g.s += a.Lv;
          g.d.add(a.Ls); // strings are never null: the null left row's "" is a value
          if (a.Lk !== null) g.lk.add(a.Lk);
        }
        const expected = [...groups].map(([k, g]) => [...JSON.parse(k), g.n, g.s, g.d.size, [...g.lk].sort((x, y) => x - y)]);
        expect(sorted(fast2.rows.map((row) => [...row.slice(0, 5), (row[5] as number[]).slice().sort((x, y) => x - y)])))
          .toEqual(sorted(expected));
      });
    }
  }
  it("keys from both sides take the general path with the same result", () => {
    const { l, r, tables: t } = tables(9, 200, 40);
    const out = run("L | join kind=inner (R) on $left.Lk == $right.Rk | summarize n = count() by Ls, Rp", t);
    const counts = new Map<string, number>();
    for (const [a, b] of nestedLoop("inner", l, r)) counts.set(JSON.stringify([a.Ls, b.Rp]), (counts.get(JSON.stringify([a.Ls, b.Rp])) ?? 0) + 1);
    expect(sorted(out.rows)).toEqual(sorted([...counts].map(([k, n]) => [...JSON.parse(k), n])));
  });
  it("join output rows (no summarize) follow the nested-loop join, right matches in right-row order", () => {
    for (const kind of ["inner", "innerunique", "leftouter"]) {
      const { l, r, tables: t } = tables(5, 80, 30);
      const out = run(`L | join kind=${kind} (R) on $left.Lk == $right.Rk`, t);
      const expected = nestedLoop(kind, l, r).map(([a, b]) => [a.Lk, a.Lv, a.Ls, b.Rk, b.Rp, b.Rq]);
      expect(out.rows).toEqual(expected);
    }
  });
  it("string keys (dictionary-backed hash table): inherited-looking names, numeric-looking and empty strings", () => {
    const pool = ["__proto__", "constructor", "toString", "hasOwnProperty", "", "0", "1", "01", "1e3", "4294967295", "-1", "a", "A", "é", "e\u0301"];
    const rnd = createRng(17);
    const pick = () => pool[Math.floor(rnd() * pool.length)]!;
    const l = Array.from({ length: 200 }, (_, i) => [pick(), i]);
    const r = Array.from({ length: 40 }, (_, i) => [pick(), `r${i}`]);
    const t = new Map<string, LoadedTable>([
      ["L", { columns: [{ name: "K", type: "string" }, { name: "I", type: "long" }], rows: l }],
      ["R", { columns: [{ name: "K", type: "string" }, { name: "P", type: "string" }], rows: r }],
    ]);
    for (const kind of ["inner", "innerunique", "leftouter", "leftsemi", "leftanti", "rightsemi", "rightanti", "fullouter"]) {
      const out = run(`L | join kind=${kind} (R) on K`, t);
      const matches = (a: Value[]) => r.filter((b) => b[0] === a[0]);
      const left = kind === "innerunique" ? l.filter((x, i) => l.findIndex((y) => y[0] === x[0]) === i) : l;
      let expected: Value[][];
      if (kind === "leftsemi") expected = l.filter((a) => matches(a).length > 0);
      else if (kind === "leftanti") expected = l.filter((a) => matches(a).length === 0);
      else if (kind === "rightsemi") expected = r.filter((b) => l.some((a) => a[0] === b[0]));
      else if (kind === "rightanti") expected = r.filter((b) => !l.some((a) => a[0] === b[0]));
      else {
        expected = left.flatMap((a) => {
          const m = matches(a);
          return m.length ? m.map((b) => [...a, ...b]) : kind === "inner" || kind === "innerunique" ? [] : [[...a, "", ""]];
        });
        if (kind === "fullouter") expected.push(...r.filter((b) => !l.some((a) => a[0] === b[0])).map((b) => ["", null, ...b]));
      }
      expect(sorted(out.rows), kind).toEqual(sorted(expected));
    }
  });
  it("empty sides", () => {
    const { tables: t } = tables(4, 0, 10);
    expect(run("L | join kind=inner (R) on $left.Lk == $right.Rk | summarize count() by Rp", t).rows).toEqual([]);
    const { tables: t2 } = tables(4, 10, 0);
    expect(run("L | join kind=leftouter (R) on $left.Lk == $right.Rk | summarize count() by Rp", t2).rows).toEqual([["", 10]]);
  });
});
