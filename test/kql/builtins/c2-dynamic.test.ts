// Array and property-bag builtins; expected values from each function's documentation page
// (learn.microsoft.com/kusto/query/<name>-function) unless the comment says otherwise.
import { describe, expect, it } from "vitest";
import { call, dt, returnType, ts } from "./c2-helpers.js";
import { DynScalar, dynToPlain, type Dyn, type Value } from "../../../src/kql/values.js";

/** A dynamic result as its JSON text form (typed datetime/timespan members as their text). */
const plain = (v: Value): Dyn => dynToPlain(v as Dyn);

const Y = "dynamic" as const, L = "long" as const, S = "string" as const, B = "bool" as const;
const arr5 = [1, 2, 3, 4, 5];

describe("array basics", () => {
  it("array_length: arrays only", () => {
    expect(call("array_length", [Y], [[1, 2, 3]])).toBe(3);
    expect(call("array_length", [Y], ["x"])).toBe(null);
    expect(call("array_length", [Y], [null])).toBe(null);
    expect(call("array_length", [Y], [{ a: 1 }])).toBe(null);
  });
  it("array_concat", () => {
    expect(call("array_concat", [Y, Y, Y], [[1, 2, 3], [4, 5], [6]])).toEqual([1, 2, 3, 4, 5, 6]);
  });
  it("array_slice: inclusive end, negative indexes", () => {
    expect(call("array_slice", [Y, L, L], [[1, 2, 3], 1, 2])).toEqual([2, 3]);
    expect(call("array_slice", [Y, L, L], [arr5, 2, -1])).toEqual([3, 4, 5]);
    expect(call("array_slice", [Y, L, L], [arr5, -3, -2])).toEqual([3, 4]);
    expect(call("array_slice", [Y, L, L], [arr5, 4, 2])).toEqual([]);
  });
  it("array_reverse", () => {
    expect(call("array_reverse", [Y], [["this", "is", "an", "example"]])).toEqual(["example", "an", "is", "this"]);
  });
  it("array_rotate_left/right", () => {
    expect(call("array_rotate_left", [Y, L], [arr5, 2])).toEqual([3, 4, 5, 1, 2]);
    expect(call("array_rotate_left", [Y, L], [arr5, -2])).toEqual([4, 5, 1, 2, 3]);
    expect(call("array_rotate_right", [Y, L], [arr5, 2])).toEqual([4, 5, 1, 2, 3]);
    expect(call("array_rotate_right", [Y, L], [arr5, -2])).toEqual([3, 4, 5, 1, 2]);
  });
  it("array_shift_left/right with and without a default", () => {
    expect(call("array_shift_left", [Y, L], [arr5, 2])).toEqual([3, 4, 5, null, null]);
    expect(call("array_shift_left", [Y, L], [arr5, -2])).toEqual([null, null, 1, 2, 3]);
    expect(call("array_shift_left", [Y, L, L], [arr5, 2, -1])).toEqual([3, 4, 5, -1, -1]);
    expect(call("array_shift_right", [Y, L], [arr5, 2])).toEqual([null, null, 1, 2, 3]);
    expect(call("array_shift_right", [Y, L, L], [arr5, 2, -1])).toEqual([-1, -1, 1, 2, 3]);
  });
  it("array_split (array-split-function.md)", () => {
    expect(call("array_split", [Y, L], [arr5, 2])).toEqual([[1, 2], [3, 4, 5]]);
    expect(call("array_split", [Y, Y], [arr5, [1, 3]])).toEqual([[1], [2, 3], [4, 5]]);
  });
  it("array_sum: real; null with non-numeric elements", () => {
    expect(call("array_sum", [Y], [[2, 5, 3]])).toBe(10);
    expect(returnType("array_sum", [Y])).toBe("real");
    expect(call("array_sum", [Y], [[1, "a"]])).toBe(null);
  });
  it("array_iff: element-wise, scalars broadcast, short arrays give null", () => {
    expect(call("array_iff", [Y, Y, Y], [[true, false, true], [1, 2, 3], [4, 5, 6]])).toEqual([1, 5, 3]);
    expect(call("array_iff", [Y, Y, L], [[true, false, true, false], [1, 2, 3, 4], 0])).toEqual([1, 0, 3, 0]);
    expect(call("array_iff", [Y, Y, Y], [[true, false, true], [1, 2], [4, 5, 6]])).toEqual([1, 5, null]);
    // Numeric conditions are true when non-zero; other non-bool values give null (array-iff-function.md).
    expect(call("array_iif", [Y, Y, Y], [[1, null, 0, "x"], [1, 2, 5, 6], [3, 4, 7, 8]])).toEqual([1, null, 7, null]);
  });
});

describe("array_index_of (array-index-of-function.md)", () => {
  const a = ["this", "is", "an", "example", "an", "example"];
  const cases: [unknown[], number][] = [
    [["an"], 2], [["example", 1, 3], 3], [["example", 1, 2], -1], [["is", 2, 4], -1], [["example", 2, -1], 3],
    [["an", 1, -1, 2], 4], [["an", 1, -1, 3], -1], [["an", -3], 4], [["is", -4], -1],
  ];
  for (const [args, want] of cases) {
    it(JSON.stringify(args), () => {
      const types = [Y, S, L, L, L].slice(0, args.length + 1);
      expect(call("array_index_of", types, [a, ...(args as (string | number)[])])).toBe(want);
    });
  }
});

describe("array_sort_asc / array_sort_desc (array-sort-asc-function.md)", () => {
  it("sorts one array; several arrays give one array per argument (the tuple form)", () => {
    expect(call("array_sort_asc", [Y], [[1, 3, 4, 5, 2]])).toEqual([1, 2, 3, 4, 5]);
    expect(call("array_sort_desc", [Y], [[1, 3, 4, 5, 2]])).toEqual([5, 4, 3, 2, 1]);
    expect(call("array_sort_asc", [Y, Y], [[2, 1], ["a", "b"]])).toEqual([[1, 2], ["b", "a"]]);
  });
  it("nulls last by default, first with nulls_last=false", () => {
    const colors = [null, "blue", "yellow", "green", null];
    expect(call("array_sort_asc", [Y], [colors])).toEqual(["blue", "green", "yellow", null, null]);
    expect(call("array_sort_asc", [Y, B], [colors, false])).toEqual([null, null, "blue", "green", "yellow"]);
  });
  it("split/sort example", () => {
    expect(call("array_sort_asc", [Y], [["John", "Paul", "George", "Ringo"]])).toEqual(["George", "John", "Paul", "Ringo"]);
  });
});

describe("sets", () => {
  it("set_union / set_intersect / set_difference are distinct", () => {
    expect(call("set_union", [Y, Y, Y], [[1, 2, 3], [101, 2, 3], [4, 5]])).toEqual([1, 2, 3, 101, 4, 5]);
    expect(call("set_intersect", [Y, Y, Y], [[1, 2, 3], [1, 2], [1, 2, 3, 4]])).toEqual([1, 2]);
    expect(call("set_difference", [Y, Y], [[1, 2, 3, 3], [1, 2]])).toEqual([3]);
    expect(call("set_union", [Y, Y], [[1], null])).toBe(null);
  });
  it("set_has_element / set_equals / jaccard_index", () => {
    expect(call("set_has_element", [Y, S], [["this", "is", "an", "example"], "example"])).toBe(true);
    expect(call("set_has_element", [Y, S], [["this"], "This"])).toBe(false);
    expect(call("set_has_element", [Y, L], [[1, 2], 2])).toBe(true);
    expect(call("set_equals", [Y, Y], [[1, 2, 3], [3, 2, 1, 1]])).toBe(true);
    expect(call("jaccard_index", [Y, Y], [[1, 1, 2, 2, 3, 3], [1, 2, 3, 4, 4, 5, 6]])).toBe(0.5);
    expect(call("jaccard_index", [Y, Y], [[1, 2, 3], [1, 2, 3, 4]])).toBe(0.75); // jaccard-index-function.md
  });
});

describe("constructors", () => {
  it("pack_array converts typed values into dynamic", () => {
    const packed = call("pack_array", [L, S, "datetime", "timespan", L], [1, "a", dt("2024-01-01"), ts("1h"), null]);
    expect(packed).toEqual([1, "a", new DynScalar("datetime", dt("2024-01-01")), new DynScalar("timespan", ts("1h")), null]);
    expect(plain(packed)).toEqual([1, "a", "2024-01-01T00:00:00.0000000Z", "01:00:00", null]);
  });
  it("bag_pack / pack (bag-pack-function.md)", () => {
    expect(call("bag_pack", [S, S, S, L, S, Y], ["Level", "Information", "ProcessID", 1234, "Data", { url: "www.bing.com" }]))
      .toEqual({ Level: "Information", ProcessID: 1234, Data: { url: "www.bing.com" } });
    expect(call("pack", [S, L], ["a", null])).toEqual({ a: null });
  });
  it("bag_pack refuses an empty key and a repeated key (was {\"\": 1}, and the last value kept)", () => {
    expect(() => call("bag_pack", [S, L], ["", 1])).toThrow(/empty key/);
    expect(() => call("bag_pack", [S, L, S, L], ["a", 1, "a", 2])).toThrow(/key "a" twice/);
    expect(call("pack_dictionary", [S, L, S, L], ["a", 1, "b", 2])).toEqual({ a: 1, b: 2 });
  });
  it("range (range-function.md)", () => {
    expect(call("range", [L, L, L], [1, 8, 3])).toEqual([1, 4, 7]);
    expect(call("range", [L, L], [1, 3])).toEqual([1, 2, 3]);
    expect(plain(call("range", ["datetime", "datetime", "timespan"], [dt("2007-01-01"), dt("2007-01-03"), ts("1d")])))
      .toEqual(["2007-01-01T00:00:00.0000000Z", "2007-01-02T00:00:00.0000000Z", "2007-01-03T00:00:00.0000000Z"]);
    expect(plain(call("range", ["timespan", "timespan", "timespan"], [ts("1h"), ts("3h"), ts("1h")]))).toEqual(["01:00:00", "02:00:00", "03:00:00"]);
  });
  it("repeat (repeat-function.md)", () => {
    expect(call("repeat", [L, L], [1, 3])).toEqual([1, 1, 1]);
    expect(call("repeat", [S, L], ["asd", 3])).toEqual(["asd", "asd", "asd"]);
    expect(plain(call("repeat", ["timespan", L], [ts("1h"), 2]))).toEqual(["01:00:00", "01:00:00"]);
    expect(call("repeat", [L, L], [1, 0])).toEqual([]);
  });
  it("zip pads shorter arrays with null (zip-function.md)", () => {
    expect(call("zip", [Y, Y], [[1, 3, 5], [2, 4, 6]])).toEqual([[1, 2], [3, 4], [5, 6]]);
    expect(call("zip", [Y, Y], [[1, 3, 5], [2, 4]])).toEqual([[1, 2], [3, 4], [5, null]]);
  });
});

describe("property bags", () => {
  it("bag_keys", () => {
    expect(call("bag_keys", [Y], [{ a: "b", c: 123 }])).toEqual(["a", "c"]);
    expect(call("bag_keys", [Y], [[1]])).toBe(null);
  });
  it("bag_merge keeps the first value of a key (bag-merge-function.md)", () => {
    expect(call("bag_merge", [Y, Y], [{ A1: 12, B1: 2, C1: 3 }, { A2: 81, B2: 82, A1: 1 }]))
      .toEqual({ A1: 12, B1: 2, C1: 3, A2: 81, B2: 82 });
  });
  it("bag_remove_keys with plain keys and JSONPath (bag-remove-keys-function.md)", () => {
    expect(call("bag_remove_keys", [Y, Y], [{ key1: 123, key2: "abc" }, ["key2", "key4"]])).toEqual({ key1: 123 });
    const input = { key1: 123, key2: { prop1: "abc", prop2: "xyz" }, key3: [100, 200] };
    expect(call("bag_remove_keys", [Y, Y], [input, ["$.key2.prop1", "key3"]])).toEqual({ key1: 123, key2: { prop2: "xyz" } });
    expect(input.key2.prop1).toBe("abc"); // the input value is not mutated
  });
  it("bag_has_key / bag_set_key", () => {
    const bag = { key1: "value1", key2: { prop1: 1 } };
    expect(call("bag_has_key", [Y, S], [bag, "key1"])).toBe(true);
    expect(call("bag_has_key", [Y, S], [bag, "$.key2.prop1"])).toBe(true);
    expect(call("bag_has_key", [Y, S], [bag, "$['key2']['nope']"])).toBe(false);
    expect(call("bag_set_key", [Y, S, L], [bag, "$.key3.a", 5])).toEqual({ ...bag, key3: { a: 5 } });
    expect(() => call("bag_has_key", [Y, S], [bag, "$.key2[0]"])).toThrow(/JSONPath/);
  });
  it("bag_set_key documented examples (bag-set-key-function.md)", () => {
    expect(call("bag_set_key", [Y, S, L], [{ key1: 1, key2: 2 }, "key3", 3])).toEqual({ key1: 1, key2: 2, key3: 3 });
    expect(call("bag_set_key", [Y, S, L], [{ key1: 1, key3: "abc" }, "key3", 3])).toEqual({ key1: 1, key3: 3 });
    expect(call("bag_set_key", [Y, S, S], [{ key1: 123, key2: { prop1: 123, prop2: "xyz" } }, "$.key2.prop1", "abc"]))
      .toEqual({ key1: 123, key2: { prop1: "abc", prop2: "xyz" } });
    expect(call("bag_set_key", [Y, S, S], [{ key1: 123 }, "$.key2.prop1", "abc"])).toEqual({ key1: 123, key2: { prop1: "abc" } });
    expect(call("bag_set_key", [Y, S, L], [[1], "a", 1])).toBe(null);
    expect(() => call("bag_set_key", [Y, S, L], [{}, "$", 1])).toThrow(/root/);
  });
  it("bag_zip (bag-zip.md)", () => {
    expect(call("bag_zip", [Y, Y], [["a", "b", "c"], [1, "2", 3.4]])).toEqual({ a: 1, b: "2", c: 3.4 });
    expect(call("bag_zip", [Y, Y], [["a", "b", "c"], [1]])).toEqual({ a: 1, b: null, c: null });
  });
});

describe("gettype", () => {
  it("typed values report their type; dynamic values their JSON kind", () => {
    expect(call("gettype", [S], ["a"])).toBe("string");
    expect(call("gettype", [L], [123])).toBe("long");
    expect(call("gettype", ["real"], [1.5])).toBe("real");
    expect(call("gettype", ["datetime"], [0n])).toBe("datetime");
    expect(call("gettype", [Y], [[]])).toBe("array");
    expect(call("gettype", [Y], [{}])).toBe("dictionary");
    expect(call("gettype", [Y], [null])).toBe("null");
    // gettype-function.md: gettype(parse_json('1')) is "int"; parse_json(' "abc" ') is "string".
    expect(call("gettype", [Y], [1])).toBe("int");
    expect(call("gettype", [Y], ["abc"])).toBe("string");
    expect(call("gettype", [Y], [123.45])).toBe("real");
    expect(call("gettype", ["guid"], ["12e8b78d-55b4-46ae-b068-26d7a0080254"])).toBe("guid");
  });
});

describe("treepath (treepath-function.md)", () => {
  it("documented examples", () => {
    expect(call("treepath", [Y], [{ a: "b", c: 123 }])).toEqual(["['a']", "['c']"]);
    expect(call("treepath", [Y], [{ prop1: [1, 2, 3, 4], prop2: "value2" }])).toEqual(["['prop1']", "['prop1'][0]", "['prop2']"]);
    expect(call("treepath", [Y], [{ listProperty: [100, 200, 300, "abcde", { x: "y" }] }]))
      .toEqual(["['listProperty']", "['listProperty'][0]", "['listProperty'][0]['x']"]);
  });
});
