// int/long results are exact or refused (src/kql/int64.ts). Expected values come from the KQL reference
// (numerical-operators.md, toint-function.md, tolong-function.md, scalar-data-types/int.md and long.md,
// binary-shift-left-function.md) or from 64-bit integer arithmetic done here with BigInt, independently of the
// engine's code. Where the docs do not say what Kusto does (a result beyond the range the engine holds exactly,
// integer division by zero, toint() of a value beyond 32 bits) the engine must refuse with `unsupported` + line:col.
import { describe, expect, it } from "vitest";
import { runQuery } from "../../src/kql/engine.js";
import type { RunOptions } from "../../src/kql/api.js";
import { emptySchemaSet, type SchemaSet } from "../../src/schemas/model.js";
import { errorOf } from "./operators-util.js";

const MAX = 2n ** 53n - 1n; // the engine's exact range: ±(2^53 − 1)
const rows = (q: string, opts?: RunOptions) => runQuery(q, opts).rows;
const one = (q: string) => rows(q)[0]![0];
const types = (q: string) => runQuery(q).columns.map((c) => c.type);
const BEYOND = /^unsupported: long arithmetic result beyond the engine's exact range \(±2\^53\) at \d+:\d+$/;

function refused(q: string, message: RegExp): void {
  const e = errorOf(q);
  expect(e.kind).toBe("unsupported");
  expect(e.message).toMatch(message);
}

/** Kusto's % (numerical-operators.md): 0 <= N % D < abs(D). */
const kustoMod = (n: bigint, d: bigint): bigint => { const r = n % d; return r < 0n ? r + (d < 0n ? -d : d) : r; };

/** Deterministic pseudo-random longs of every magnitude up to 2^53 − 1 (mulberry32). */
function randomLongs(seed: number, count: number): bigint[] {
  let a = seed;
  const next = () => { a = (a + 0x6d2b79f5) | 0; let t = Math.imul(a ^ (a >>> 15), 1 | a); t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t; return (t ^ (t >>> 14)) >>> 0; };
  const out: bigint[] = [];
  for (let i = 0; i < count; i++) {
    const bits = BigInt(1 + (next() % 53));
    const v = ((BigInt(next()) << 32n) | BigInt(next())) % (1n << bits);
    out.push(next() % 2 ? -v : v);
  }
  return out;
}

describe("long + - * / % (numerical-operators.md)", () => {
  it("int and int give long (type rules for arithmetic operations)", () => {
    expect(types("print toint(2147483647) + toint(1), toint(3) * toint(2), toint(7) / toint(2)")).toEqual(["long", "long", "long"]);
    // 2147483647 + 1 does not overflow: the result is a long.
    expect(rows("print toint(2147483647) + toint(1), toint(7) / toint(2)")).toEqual([[2147483648, 3]]);
  });
  it("the documented examples: 1 / 2 truncates, real operands divide as reals, modulo is non-negative", () => {
    expect(rows("print 1.0 / 2, 1 / 2.0, 1 / 2, real(1) / 2")).toEqual([[0.5, 0.5, 0, 0.5]]);
    expect(rows("print plusPlus = 14 % 12, minusPlus = -14 % 12, plusMinus = 14 % -12, minusMinus = -14 % -12")).toEqual([[2, 10, 2, 10]]);
  });
  it("results up to ±(2^53 − 1) are exact", () => {
    expect(one("print 9007199254740990 + 1")).toBe(Number(MAX));
    expect(one("print -9007199254740990 - 1")).toBe(-Number(MAX));
    expect(one("print 94906265 * 94906265")).toBe(Number(94906265n * 94906265n));
    expect(one("print -(-9007199254740991)")).toBe(Number(MAX));
    expect(one("print abs(-9007199254740991)")).toBe(Number(MAX));
  });
  it("/ truncates toward zero and % follows Kusto's rule over longs of every size (checked with BigInt)", () => {
    const xs = randomLongs(7, 240), ys = randomLongs(11, 240).map((y) => (y === 0n ? 3n : y));
    const data = xs.map((x, i) => `${x}, ${ys[i]}`).join(", ");
    const got = rows(`datatable(a:long, b:long)[${data}] | extend q = a / b, m = a % b, s = a - b, p = a + b | project q, m, s, p`);
    const want = xs.map((x, i) => {
      const y = ys[i]!;
      return [Number(x / y), Number(kustoMod(x, y)), x - y, x + y];
    });
    got.forEach((r, i) => {
      expect(r.slice(0, 2)).toEqual(want[i]!.slice(0, 2));
      // a ± b of two exact longs: exact when within ±(2^53 − 1); otherwise this query would have been refused.
      for (const [k, v] of [[2, want[i]![2]], [3, want[i]![3]]] as [number, bigint][]) {
        expect(v >= -MAX && v <= MAX).toBe(true);
        expect(r[k]).toBe(Number(v));
      }
    });
  });
  it("a result beyond ±(2^53 − 1) is refused, never rounded (4294967296 * 4294967296 is 2^64 in 64-bit arithmetic)", () => {
    expect(2n ** 32n * 2n ** 32n).toBe(2n ** 64n); // the exact value a double would print as 18446744073709552000
    refused("print x = 4294967296 * 4294967296", BEYOND);
    refused("print x = 9007199254740991 + 1", /at 1:11$/);
    refused("print x = -9007199254740991 - 1", BEYOND);
    refused("print x = 1\n| extend y = x * 9007199254740991 * 2", /^unsupported: long arithmetic result .* at 2:14$/);
  });
  it("the check also holds for values computed per row", () => {
    refused("range x from 1 to 3 step 1 | extend y = x * 4000000000000000", BEYOND);
    expect(rows("range x from 1 to 2 step 1 | extend y = x * 4000000000000000 | project y")).toEqual([[4e15], [8e15]]);
  });
  it("a dynamic operand holding an integer is checked too", () => {
    refused("print x = dynamic(9007199254740991) + 1", BEYOND);
    expect(one("print x = dynamic(9007199254740990) + 1")).toBe(Number(MAX));
    expect(rows("print a = dynamic(7) / 2, b = dynamic(-7) % 2")).toEqual([[3, 1]]);
  });
  it("a long-typed result of a dynamic operand holding a real is refused (the binder says long; Kusto's value is not documented)", () => {
    expect(types("print a = dynamic(7) / 2")).toEqual(["long"]);
    refused("print a = dynamic(7.5) / 2", /^unsupported: long arithmetic on a dynamic operand holding a real .* at 1:11$/);
    refused("print a = parse_json('2.0') * 3", /dynamic operand holding a real/);
  });
  it("integer division and modulo by zero are refused (Kusto's result is not documented); real division is IEEE", () => {
    refused("print x = 1 / 0", /^unsupported: integer division by zero .* at 1:11$/);
    refused("print x = 1 % 0", /^unsupported: integer modulo by zero .* at 1:11$/);
    refused("range x from 0 to 1 step 1 | extend y = 10 / x", /^unsupported: integer division by zero .* at 1:41$/);
    expect(rows("print 1.0 / 0, -1 / 0.0")).toEqual([[Infinity, -Infinity]]);
  });
  it("a long has no negative zero: 1.0 / (long zero) is +Infinity however the zero was computed", () => {
    expect(rows("print a = 1.0 / (-1 * 0), b = 1.0 / (-1 / 2), c = 1.0 / -(0), d = 1.0 / (0 * -5)")).toEqual([[Infinity, Infinity, Infinity, Infinity]]);
    expect(rows("print x = 0 | extend a = 1.0 / -x, b = 1.0 / (x * -1), c = 1.0 / (-x / 3)")).toEqual([[0, Infinity, Infinity, Infinity]]);
    expect(one("print 1.0 / todouble(-dynamic(0))")).toBe(Infinity);
  });
  it("negating int's minimum has no int value: refused", () => {
    expect(types("print -toint(5)")).toEqual(["int"]);
    expect(one("print -toint(-2147483647)")).toBe(2147483647);
    refused("print -toint(-2147483648)", /^unsupported: int negation beyond int's range at 1:7$/);
    // abs() of an int is a long, so its value exists.
    expect(rows("print abs(toint(-2147483648))")).toEqual([[2147483648]]);
  });
});

describe("toint() / tolong() (toint-function.md, tolong-function.md)", () => {
  it("documented examples, and truncation of the fraction toward zero", () => {
    expect(one(`print toint("123") == 123`)).toBe(true);
    expect(one("print toint(2.3)")).toBe(2);
    expect(one(`print tolong("123") == 123`)).toBe(true);
    expect(rows("print toint(3.9), toint(-3.9), tolong(-2.5), toint(2147483647.9)")).toEqual([[3, -3, -2, 2147483647]]);
  });
  it("a value beyond int's 32 bits is refused (whether Kusto wraps or returns null is not documented)", () => {
    for (const arg of ["4294967297", "3e9", `"2147483648"`, "tolong(-2147483649)"]) {
      refused(`print toint(${arg})`, /^unsupported: converting -?\d+ to int \(beyond int's 32-bit range; .* at 1:7$/);
    }
    expect(rows("print toint(-2147483648), toint(2147483647)")).toEqual([[-2147483648, 2147483647]]);
  });
  it("a value beyond the exact range is refused", () => {
    refused("print tolong(1e20)", /^unsupported: converting 100000000000000000000 to long exceeds the engine's exact integer range/);
  });
});

describe("aggregates and window functions of longs", () => {
  it("sum() is exact even when a partial sum leaves ±2^53 (9007199254740991 + 2 − 2)", () => {
    expect(rows("datatable(x:long)[9007199254740991, 2, -2] | summarize sum(x)")).toEqual([[Number(MAX + 2n - 2n)]]);
    expect(rows("datatable(x:long)[9007199254740991, 2, -2] | summarize sumif(x, x != 0)")).toEqual([[Number(MAX)]]);
  });
  it("a total beyond ±(2^53 − 1) is refused", () => {
    refused("datatable(x:long)[5000000000000000, 5000000000000000] | summarize sum(x)", /^unsupported: sum\(\) beyond the engine's exact range \(±2\^53\) \(in summarize\) at 1:57$/);
    refused("datatable(x:long, g:string)[5000000000000000, 'a', 5000000000000000, 'a', 1, 'b'] | summarize s = sum(x) by g", /sum\(\) beyond/);
  });
  it("int sums are longs and are exact", () => {
    const want = 3n * 2147483647n;
    expect(rows("datatable(x:int)[2147483647, 2147483647, 2147483647] | summarize s = sum(x)")).toEqual([[Number(want)]]);
    expect(types("datatable(x:int)[1] | summarize s = sum(x)")).toEqual(["long"]);
  });
  it("row_cumsum(): every running total is exact or the query is refused", () => {
    expect(rows("range x from 1 to 3 step 1 | serialize c = row_cumsum(x * 1000000000000000) | project c")).toEqual([[1e15], [3e15], [6e15]]);
    refused("range x from 1 to 3 step 1 | serialize c = row_cumsum(x * 2000000000000000)", /^unsupported: row_cumsum\(\) beyond the engine's exact range/);
    // 2^53 − 1, then + 2 (partial beyond the range), then − 2: the last total is exact again, but the second row
    // is output, so the query is refused rather than printing a rounded 2^53 + 1.
    refused("datatable(x:long)[9007199254740991, 2, -2] | serialize c = row_cumsum(x)", /row_cumsum\(\) beyond/);
  });
});

describe("functions producing longs", () => {
  it("binary_shift_left: 2^52 exact, 2^60 refused (binary-shift-left-function.md: value << (shift % 64))", () => {
    expect(one("print binary_shift_left(1, 52)")).toBe(Number(1n << 52n));
    refused("print binary_shift_left(1, 60)", /^unsupported: binary_shift_left\(\) result beyond the engine's exact range \(±2\^53\) at 1:7$/);
  });
  it("bin() of longs: exact below the range limit, refused beyond it", () => {
    const floorBin = (v: bigint, s: bigint) => { const q = v / s; return (v % s !== 0n && v < 0n ? q - 1n : q) * s; };
    expect(rows("print bin(9007199254740991, 7), bin(-20, 7), bin(20, 7)")).toEqual([[Number(floorBin(MAX, 7n)), -21, 14]]);
    refused("print bin(-9007199254740991, 7)", /^unsupported: bin\(\) result beyond the engine's exact range/);
    // bin_at(v, 7, 1) = bin(v − 1, 7) + 1, and v − 1 = 9007199254740989 = 7 · 1286742750677284 + 1.
    expect(one("print bin_at(9007199254740990, 7, 1)")).toBe(Number(1286742750677284n * 7n + 1n));
    refused("print bin_at(-9007199254740990, 7, 1)", /result beyond the engine's exact range/);
  });
  it("round() of a long keeps it exact: 123456789012345 to hundreds, 9007199254740991 to tens", () => {
    expect(rows("print round(123456789012345, -2), round(9007199254740991, -1)")).toEqual([[123456789012300, Number(MAX - 1n)]]);
  });
  it("datetime_diff in nanoseconds: one day is exact, one year (3.15e16) is beyond the exact range", () => {
    expect(one("print datetime_diff('nanosecond', datetime(2020-01-02), datetime(2020-01-01))")).toBe(Number(86_400n * 1_000_000_000n));
    refused("print datetime_diff('nanosecond', datetime(2020-01-01), datetime(2019-01-01))", /^unsupported: datetime_diff\(\) result beyond/);
  });
  it("series_add / series_multiply of integers: exact or refused", () => {
    expect(one("print series_add(dynamic([1, 2]), dynamic([3, 4]))")).toEqual([4, 6]);
    refused("print series_multiply(dynamic([4294967296]), dynamic([4294967296]))", /series_multiply\(\) element beyond/);
    // Reals stay IEEE doubles (1.5e20 is not refused).
    expect(() => runQuery("print series_multiply(dynamic([1.5]), dynamic([1e20]))")).not.toThrow();
  });
});

describe("datetime / timespan tick arithmetic (bigint ticks; ranges from scalar-data-types/datetime.md, timespan.md)", () => {
  it("exact in 100 ns ticks inside the ranges", () => {
    const r = runQuery("print a = datetime(9999-12-31) + 23h, b = datetime(2020-01-01) - datetime(2019-01-01), c = 365000d * 3, d = 1tick * 3").rows[0]!;
    // 9999-12-31T00:00:00Z is Unix second 253402214400; ticks are 10^7 per second, 3.6e10 per hour.
    expect(r[0]).toBe(253402214400n * 10_000_000n + 23n * 36_000_000_000n);
    expect(r.slice(1)).toEqual([365n * 864_000_000_000n, 3n * 365000n * 864_000_000_000n, 3n]);
  });
  it("a datetime beyond 9999-12-31 or before 0001-01-01, or a timespan beyond 64-bit ticks, is refused", () => {
    refused("print datetime(9999-12-31) + 2d", /^unsupported: datetime arithmetic result outside Kusto's datetime range .* at 1:7$/);
    refused("print datetime(0001-01-02) - 2d", /datetime arithmetic result outside/);
    // 10,000,000 days × 1000 = 8.64e21 ticks > 2^63 − 1 ≈ 9.22e18.
    refused("print 10000000d * 1000", /^unsupported: timespan arithmetic result beyond a 64-bit tick count at 1:7$/);
    // ago(t) = now() − t and now(t) = now() + t (ago-function.md, now-function.md).
    refused("print ago(3650000d)", /^unsupported: ago\(\) result outside Kusto's datetime range .* at 1:7$/);
    refused("print now(3650000d)", /^unsupported: now\(\) result outside/);
    const now = "2024-01-15T00:00:00Z";
    expect(runQuery("print ago(1d), now(-1d)", { now }).rows[0]).toEqual([1705190400n * 10_000_000n, 1705190400n * 10_000_000n]);
  });
});

describe("parse / parse-kv / parse-where captures of integer type", () => {
  it("a captured number the engine cannot hold is refused, not nulled or dropped", () => {
    refused("print s = 'n=4294967296' | parse s with 'n=' n:int", /converting 4294967296 to int .*\(in parse\) at 1:28$/);
    refused("print s = 'n=4294967296' | parse-kv s as (n:int) with (pair_delimiter=',', kv_delimiter='=')", /\(in parse-kv\)/);
    refused("print s = 'n=12345678901234567' | parse-where s with 'n=' n:long", /exceeds the engine's exact integer range .*\(in parse-where\)/);
    expect(rows("print s = 'n=123' | parse-where s with 'n=' n:long | project n")).toEqual([[123]]);
  });
});

describe("integer columns", () => {
  it("an int literal beyond 32 bits is refused (int.md: a signed 32-bit integer)", () => {
    refused("print int(2147483648)", /^unsupported: int literal beyond int's 32-bit range \(2147483648\) at 1:7$/);
    expect(rows("print int(-2147483648), int(0x7fffffff)")).toEqual([[-2147483648, 2147483647]]);
  });
  it("datatable: a value beyond int's 32 bits in an int column, or a fraction in a long column, is refused", () => {
    refused("datatable(x:int)[4294967296]", /^unsupported: value 4294967296 in an int column/);
    refused("datatable(x:long)[1.5]", /^unsupported: value 1.5 in a long column/);
    expect(rows("datatable(x:int)[-2147483648, 2147483647]")).toEqual([[-2147483648], [2147483647]]);
  });
  it("sample data: an integer the engine cannot hold exactly is a data error naming row and column", () => {
    const schemas = schemaOf("T", [["n", "long"], ["i", "int"], ["d", "dynamic"]]);
    const run = (row: Record<string, unknown>) => () => runQuery("T", { schemas, tables: { T: [row] } });
    const dataError = (row: Record<string, unknown>, message: RegExp) => {
      const e = errorOf("T", run(row));
      expect(e.kind).toBe("data");
      expect(e.message).toMatch(message);
    };
    dataError({ n: "12345678901234567" }, /row 1, column 'n': cannot convert '12345678901234567' to long \(beyond the engine's exact integer range ±2\^53\)/);
    dataError({ i: 2147483648 }, /row 1, column 'i': cannot convert 2147483648 to int \(beyond int's 32-bit range\)/);
    dataError({ d: '{"id": 12345678901234567}' }, /row 1, column 'd': cannot convert .* to dynamic \(it holds an integer beyond/);
    expect(rows("T", { schemas, tables: { T: [{ n: "9007199254740991", i: -2147483648, d: '{"id": 9007199254740991}' }] } }))
      .toEqual([[Number(MAX), -2147483648, { id: Number(MAX) }]]);
    // "-0" in a long column is the long 0: 1.0 / it is +Infinity.
    expect(rows("T | project r = 1.0 / n", { schemas, tables: { T: [{ n: "-0" }] } })).toEqual([[Infinity]]);
  });
});

function schemaOf(name: string, cols: [string, string][]): SchemaSet {
  const s = emptySchemaSet();
  s.tables.set(name, { name, columns: cols.map(([n, t]) => ({ name: n, type: t as never })) });
  return s;
}
