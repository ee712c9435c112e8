// The fast paths of parse_json and mv-expand against their general forms, on seeded random inputs:
// - parse_json's per-call-site memo (and its bypass for mostly-distinct texts) returns exactly what a fresh
//   parse returns, for valid and invalid JSON, duplicate keys, long/real numbers, keys named like Object members;
// - mv-expand's borrowed path (one reused output row, input columns copied once per input row), taken when it
//   feeds summarize, gives the same rows as its materialising path, and both match an expansion computed here
//   independently from the documented rules (null → one row with null, empty array/bag → no row, bag members
//   → {key: value} or [key, value] with kind=array, several columns padded with null, limit, with_itemindex).
import { describe, expect, test } from "vitest";
import { createRng } from "../../src/random.js";
import { memoParseJson, parseJsonText } from "../../src/kql/builtins/conversion.js";
import { runQueryTyped } from "../../src/kql/engine.js";
import type { LoadedTable } from "../../src/kql/data.js";
import type { Dyn, Value } from "../../src/kql/values.js";
import { DynScalar } from "../../src/kql/values.js";

const rng = createRng;

const KEYS = ["a", "b", "__proto__", "constructor", "toString", "1", "x y", ""];

/** Random JSON-ish text: valid documents (some with duplicate keys), invalid text, blanks. */
function randomText(r: () => number, depth = 0): string {
  const k = Math.floor(r() * 12);
  const pick = <T,>(a: readonly T[]) => a[Math.floor(r() * a.length)]!;
  switch (k) {
    case 0: return String(Math.floor(r() * 2000) - 1000);
    case 1: return (r() * 100 - 50).toFixed(3);
    case 2: return pick(["1.0", "1e3", "-0", "0.1", "2147483648", "9007199254740991", "12345678901234567"]);
    case 3: return JSON.stringify(pick(["s", "", "with \"quote\"", "ünï"]));
    case 4: return pick(["true", "false", "null"]);
    case 5: return pick(["", "   ", "not json", "{", "[1,", "{'a':1}", "__proto__", "constructor", "toString", "NaN"]);
    case 6: case 7: {
      if (depth > 2) return "[]";
      const n = Math.floor(r() * 4);
      return `[${Array.from({ length: n }, () => randomText(r, depth + 1)).filter((t) => isJson(t)).join(",")}]`;
    }
    default: {
      if (depth > 2) return "{}";
      const n = Math.floor(r() * 4);
      const members = Array.from({ length: n }, () => `${JSON.stringify(pick(KEYS))}:${randomText(r, depth + 1)}`)
        .filter((m) => isJson(`{${m}}`));
      return `${r() < 0.2 ? " " : ""}{${members.join(",")}}`;
    }
  }
}

function isJson(t: string): boolean {
  try { JSON.parse(t); return t.trim() !== ""; } catch { return false; }
}

function outcome(f: () => Value): { value: Value } | { error: string } {
  try { return { value: f() }; } catch (e) { return { error: (e as Error).message }; }
}

describe("parse_json memo = a fresh parse", () => {
  test("random texts with repeats: same values (or the same error), shared object for a repeated text", () => {
    const r = rng(7);
    const distinct = Array.from({ length: 400 }, () => randomText(r));
    const memo = memoParseJson();
    let compared = 0, shared = 0;
    const lastResult = new Map<string, Value>();
    for (let i = 0; i < 20_000; i++) {
      // Skewed choice: a few texts repeat very often, as JSON columns do; copies defeat string identity.
      const text = (" " + distinct[Math.floor(distinct.length * r() ** 3)]!).slice(1);
      const fast = outcome(() => memo(text));
      expect(fast).toEqual(outcome(() => parseJsonText(text)));
      compared++;
      if ("value" in fast && fast.value !== null && typeof fast.value === "object") {
        if (lastResult.get(text) === fast.value) shared++;
        lastResult.set(text, fast.value);
      }
    }
    expect(compared).toBe(20_000);
    expect(shared).toBeGreaterThan(1000); // the memo is in use
  });

  test("keys named like Object members, numeric keys and invalid texts are cached as themselves", () => {
    const memo = memoParseJson();
    for (let round = 0; round < 2; round++) {
      expect(memo("__proto__")).toBe("__proto__");
      expect(memo("constructor")).toBe("constructor");
      expect(memo("toString")).toBe("toString");
      expect(memo("hasOwnProperty")).toBe("hasOwnProperty");
      expect(memo("1")).toBe(1);
      expect(memo("1.0")).toEqual(new DynScalar("real", 1)); // a whole-valued real keeps its type (values.ts)
      expect(() => memo('{"a":1,"a":2}')).toThrow(/repeating a key/); // refused, on a hit too (json-lenient.ts)
      expect(memo("")).toBeNull();
      expect(memo("null")).toBeNull();
      expect(memo("{")).toBe("{");
    }
    expect(() => memo("12345678901234567")).toThrow(/beyond the engine's exact range/);
    expect(() => memo("12345678901234567")).toThrow(/beyond the engine's exact range/);
  });

  test("mostly-distinct texts switch the memo off for a while and on again; values never change", () => {
    const memo = memoParseJson();
    const r = rng(11);
    for (let i = 0; i < 40_000; i++) {
      const text = i % 3 === 0 ? `{"n":${i}}` : `[${Math.floor(r() * 5)}]`; // distinct, then repeated
      expect(memo(text)).toEqual(JSON.parse(text) as Dyn);
    }
  });
});

describe("mv-expand borrowed path = materialising path = independent expansion", () => {
  function randomDyn(r: () => number): Dyn {
    const k = Math.floor(r() * 8);
    if (k === 0) return null;
    if (k === 1) return Math.floor(r() * 5);
    if (k === 2) return "s" + Math.floor(r() * 3);
    if (k <= 5) return Array.from({ length: Math.floor(r() * 4) }, () => (r() < 0.2 ? [1, "x"] : Math.floor(r() * 4)));
    return Object.fromEntries(Array.from({ length: Math.floor(r() * 3) }, (_, i) => [`k${i}`, Math.floor(r() * 3)]));
  }

  /** The documented expansion of one value. */
  function items(v: Dyn, kind: "bag" | "array"): Dyn[] {
    if (v === null) return [null];
    if (Array.isArray(v)) return v;
    if (typeof v === "object") return Object.entries(v).map(([k, x]) => (kind === "bag" ? { [k]: x } : [k, x]));
    return [v];
  }

  function expected(rows: Value[][], kind: "bag" | "array", limit: number): string[] {
    const out: string[] = [];
    for (const [i, d1, d2] of rows) {
      const a = items(d1 as Dyn, kind), b = items(d2 as Dyn, kind);
      const n = Math.min(Math.max(a.length, b.length), limit);
      for (let k = 0; k < n; k++) {
        out.push(JSON.stringify([i, k, k < a.length ? a[k] : null, k < b.length ? b[k] : null]));
      }
    }
    return out.sort();
  }

  test("random arrays, bags, nulls and scalars in two columns, with kind, limit and with_itemindex", () => {
    for (const seed of [1, 2, 3]) {
      const r = rng(seed);
      const rows: Value[][] = Array.from({ length: 300 }, (_, i) => [i, randomDyn(r), randomDyn(r)]);
      const T: LoadedTable = {
        columns: [{ name: "i", type: "long" }, { name: "d1", type: "dynamic" }, { name: "d2", type: "dynamic" }],
        rows,
      };
      const run = (q: string) => runQueryTyped(q, { tables: new Map([["T", T]]) }).rows;
      for (const [kind, limit] of [["bag", Infinity], ["array", Infinity], ["bag", 2]] as const) {
        const mv = `T | mv-expand kind=${kind} with_itemindex=k a = d1, b = d2${limit === Infinity ? "" : ` limit ${limit}`}`;
        const want = expected(rows, kind, limit);
        // Materialising path: project collects every row.
        const materialised = run(`${mv} | project i, k, a, b`).map((row) => JSON.stringify(row));
        expect(materialised.sort()).toEqual(want);
        // Borrowed path: summarize consumes the reused output row.
        // (pack_array keeps a dynamic string distinct from the JSON text it looks like.)
        const borrowed = run(`${mv} | summarize n = count() by i, k, ab = tostring(pack_array(a, b))`)
          .flatMap(([i, k, ab, n]) => Array.from({ length: n as number }, () => JSON.stringify([i, k, ...(JSON.parse(ab as string) as Dyn[])])));
        expect(borrowed.sort()).toEqual(want);
      }
      // Expanding an input column in place (its position is kept), borrowed and materialised.
      const inPlace = expected(rows.map(([i, d1]) => [i, d1, []]), "bag", Infinity).map((s) => {
        const [i, , a] = JSON.parse(s) as [number, number, Dyn];
        return JSON.stringify([i, a]);
      }).sort();
      expect(run("T | mv-expand d1 | project i, d1").map(([i, a]) => JSON.stringify([i, a])).sort()).toEqual(inPlace);
      expect(run("T | mv-expand d1 | summarize n = count() by i, s = tostring(pack_array(d1))")
        .flatMap(([i, s, n]) => Array.from({ length: n as number }, () => JSON.stringify([i, ...(JSON.parse(s as string) as Dyn[])])))
        .sort()).toEqual(inPlace);
    }
  });

  test("documented example: mv-expand of two columns pads the shorter one with null", () => {
    // mv-expand-operator.md, "Zipped two columns": rows [1, {"prop1":"a"}, 5], [1, {"prop2":"b"}, 4], [1, null, 3];
    // here through the borrowed path (summarize).
    const rows = runQueryTyped(`datatable (a: int, b: dynamic, c: dynamic)[1, dynamic({"prop1": "a", "prop2": "b"}), dynamic([5, 4, 3])]
      | mv-expand b, c | summarize n = count() by a, b = tostring(b), c = tostring(c)`, {}).rows;
    expect(rows).toEqual([
      [1, '{"prop1":"a"}', "5"],
      [1, '{"prop2":"b"}', "4"],
      [1, "", "3"],
    ].map(([a, b, c]) => [a, b, c, 1]));
  });
});
