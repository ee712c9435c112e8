// Datetime, timespan and guid values inside dynamic keep their Kusto type (scalar-data-types/dynamic.md: a dynamic
// value may hold any primitive scalar, and gettype() reveals it — gettype-function.md), while JSON text parsed by
// parse_json stays a string. Expected values are worked out by hand from those pages: the typed member prints in
// Kusto's text form (datetime with 7 fraction digits, timespan [d.]hh:mm:ss), compares and orders as its type.
import { describe, expect, test } from "vitest";
import { runQuery } from "../../src/kql/engine.js";
import { errorOf as sharedErrorOf } from "./operators-util.js";
import { formatCsv, formatJson } from "../../src/kql/format.js";
import { DynScalar, dynToPlain, type Dyn } from "../../src/kql/values.js";
import { plainValue, valueMatches } from "../../src/testing/expect.js";

const NOW = "2024-01-01T00:00:00Z";
const run = (q: string) => runQuery(q, { now: NOW });
const row = (q: string) => run(q).rows[0]!;

const errorOf = (q: string) => sharedErrorOf(q, run);

const G = "12e8b78d-55b4-46ae-b068-26d7a0080254";

describe("gettype() of members placed into dynamic", () => {
  test("dynamic literal, pack, bag_pack, pack_array and make_list keep datetime/timespan/guid", () => {
    expect(row(`print d = dynamic({"a": datetime(2020-01-01), "s": 1d, "g": guid(${G})})
      | project gettype(d.a), gettype(d.s), gettype(d.g)`)).toEqual(["datetime", "timespan", "guid"]);
    expect(row(`print p = pack("t", now()), b = bag_pack("s", -2h), a = pack_array(datetime(2021-03-04))
      | project gettype(p.t), gettype(b.s), gettype(a[0])`)).toEqual(["datetime", "timespan", "datetime"]);
    expect(row(`range i from 1 to 3 step 1 | summarize l = make_list(datetime(2020-01-01) + i * 1h) | project gettype(l[2])`))
      .toEqual(["datetime"]);
  });
  test("JSON text stays a string: parse_json never turns a date-like string into a datetime", () => {
    expect(row(`print j = parse_json('"2020-01-01"'), k = parse_json('{"a":"2020-01-01T00:00:00.0000000Z","s":"01:00:00"}')
      | project gettype(j), gettype(k.a), gettype(k.s)`)).toEqual(["string", "string", "string"]);
  });
});

describe("text forms", () => {
  test("tostring() of the member and of its bag use Kusto's text (7 fraction digits, [d.]hh:mm:ss)", () => {
    expect(row(`print d = dynamic({"a": datetime(2020-01-01 10:00:00.5), "s": 1d})
      | project tostring(d.a), tostring(d.s), tostring(d)`)).toEqual([
      "2020-01-01T10:00:00.5000000Z", "1.00:00:00", '{"a":"2020-01-01T10:00:00.5000000Z","s":"1.00:00:00"}',
    ]);
  });
  test("JSON and CSV output print the member as its text", () => {
    const r = run(`print d = pack("t", datetime(2020-01-01), "g", guid(${G}))`);
    expect(JSON.parse(formatJson(r)).rows).toEqual([[{ t: "2020-01-01T00:00:00.0000000Z", g: G }]]);
    expect(formatCsv(r)).toBe(`d\n"{""t"":""2020-01-01T00:00:00.0000000Z"",""g"":""${G}""}"\n`);
  });
  test("content tests compare and record typed members by their text", () => {
    const [d] = row(`print pack("t", datetime(2020-01-01), "s", 1h)`);
    const want = { t: "2020-01-01T00:00:00.0000000Z", s: "01:00:00" };
    expect(valueMatches(want, d!, "dynamic", { now: 0n })).toBe(true);
    expect(valueMatches({ ...want, s: "02:00:00" }, d!, "dynamic", { now: 0n })).toBe(false);
    expect(plainValue(d!, "dynamic")).toEqual(want);
  });
  test("dynToPlain replaces typed members by their text and shares untouched parts", () => {
    const inner = { x: 1 };
    const v: Dyn = { a: [new DynScalar("timespan", -36_000_000_000n)], b: inner };
    const p = dynToPlain(v) as { a: Dyn[]; b: Dyn };
    expect(p).toEqual({ a: ["-01:00:00"], b: { x: 1 } });
    expect(p.b).toBe(inner);
    expect(dynToPlain(inner)).toBe(inner);
  });
});

describe("conversions, comparisons and membership", () => {
  test("to*() of a typed member converts from its own type", () => {
    expect(row(`print d = pack("t", datetime(2020-01-01), "s", 90m, "g", guid(${G}))
      | project todatetime(d.t), totimespan(d.s), toguid(d.g), tolong(d.s)`))
      .toEqual([15778368000000000n, 54_000_000_000n, G, 54_000_000_000]);
  });
  test("== against a typed value compares the held value", () => {
    expect(row(`print d = pack("t", datetime(2020-01-01), "s", 1h)
      | project d.t == datetime(2020-01-01), d.t == datetime(2020-01-02), d.s == 60m`)).toEqual([true, false, true]);
  });
  test("in (dynamic array of datetimes) matches datetime values", () => {
    const r = run(`let l = toscalar(print x = datetime(2020-01-02) | summarize make_list(x));
      range i from 0 to 2 step 1 | extend t = datetime(2020-01-01) + i * 1d | where t in (l) | project i`);
    expect(r.rows).toEqual([[1]]);
  });
  test("a typed member against a string is refused (Kusto's conversion rule for it is undocumented)", () => {
    expect(errorOf(`print d = pack("g", guid(${G})) | where d.g == "${G}"`).message).toMatch(/dynamic guid value with a string/);
    expect(errorOf(`print d = pack_array(datetime(2020-01-01)) | mv-expand d | where d in ("x")`).kind).toBe("unsupported");
    expect(row(`print d = pack_array("a") | mv-expand d | where d in ("a") and d == "a"`)).toEqual(["a"]);
  });
  test("array_index_of and set_has_element find a datetime", () => {
    expect(row(`print a = pack_array(datetime(2020-01-01), datetime(2020-01-02))
      | project array_index_of(a, datetime(2020-01-02)), set_has_element(a, datetime(2020-01-01))`))
      .toEqual([1, true]);
  });
});

describe("distinctness, ordering and expansion", () => {
  test("make_set and set_union de-duplicate equal datetimes", () => {
    expect(row(`datatable(t:datetime)[datetime(2020-01-01), datetime(2020-01-01), datetime(2020-01-02)]
      | summarize s = make_set(t) | project array_length(s), array_length(set_union(s, pack_array(datetime(2020-01-02))))`))
      .toEqual([2, 2]);
  });
  test("array_sort_* orders datetimes and timespans by value (a negative timespan first)", () => {
    const r = run(`print a = array_sort_asc(pack_array(2h, -1d, 1h)), b = array_sort_desc(pack_array(datetime(2020-01-01), datetime(2021-01-01)))`);
    expect(JSON.parse(formatJson(r)).rows).toEqual([[["-1.00:00:00", "01:00:00", "02:00:00"], ["2021-01-01T00:00:00.0000000Z", "2020-01-01T00:00:00.0000000Z"]]]);
  });
  test("an array mixing numbers with datetimes is refused by array_sort_* (order undocumented)", () => {
    expect(errorOf(`print array_sort_asc(pack_array(1, datetime(2020-01-01)))`).kind).toBe("unsupported");
  });
  test("mv-expand keeps the member typed, and `to typeof(datetime)` yields datetimes", () => {
    expect(run(`print a = pack_array(datetime(2020-01-01), 1h) | mv-expand a | project gettype(a)`).rows).toEqual([["datetime"], ["timespan"]]);
    const r = run(`print a = pack_array(datetime(2020-01-01)) | mv-expand a to typeof(datetime)`);
    expect(r.columns[0]!.type).toBe("datetime");
    expect(r.rows).toEqual([[15778368000000000n]]);
  });
  test("bag_set_key and bag_remove_keys copy bags without losing typed members", () => {
    expect(row(`print d = bag_set_key(dynamic({"a": {"t": datetime(2020-01-01)}}), "$.b", 1), e = bag_remove_keys(pack("t", 1d, "x", 1), dynamic(["x"]))
      | project gettype(d.a.t), gettype(e.t), bag_keys(e)`)).toEqual(["datetime", "timespan", ["t"]]);
  });
  test("a typed member has no properties of its own", () => {
    expect(row(`print d = pack("t", datetime(2020-01-01)) | project isnull(d.t.type), isnull(d.t.value)`)).toEqual([true, true]);
  });
});
