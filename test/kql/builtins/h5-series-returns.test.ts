// NaN/±Infinity inside dynamic values (series-divide-function.md: "2/0 yields double(+inf)"). The value is kept and
// reads back as a real; its text inside an array or bag is undocumented (JSON has no spelling for it, and
// JSON.stringify silently wrote null), so turning it into text is refused.
import { describe, expect, it } from "vitest";
import { runQuery } from "../../../src/kql/engine.js";
import { formatCsv, formatJson } from "../../../src/kql/format.js";
import { errorOf } from "../operators-util.js";

const json = (kql: string) => JSON.parse(formatJson(runQuery(kql, {}))) as { rows: unknown[][] };
function refusal(f: () => unknown): string {
  const e = errorOf("", () => f());
  expect(e.kind).toBe("unsupported");
  return e.message;
}

describe("non-finite reals inside dynamic values", () => {
  it("keeps series_divide's documented +inf as a value", () => {
    // 2/0 = +inf, -2/0 = -inf, 0/0 = NaN (IEEE division, as the page says), read back with todouble().
    const r = json(`let d = series_divide(dynamic([2, -2, 0]), dynamic([0, 0, 0]));
print a = todouble(d[0]), b = todouble(d[1]), c = isnan(todouble(d[2])), n = array_length(d)`);
    expect(r.rows).toEqual([["Infinity", "-Infinity", true, 3]]);
  });

  it("refuses their text: tostring(), JSON and CSV output", () => {
    expect(refusal(() => runQuery("print s = tostring(series_divide(dynamic([2]), dynamic([0])))", {})))
      .toMatch(/the text of Infinity inside a dynamic value .* at 1:11/);
    const arr = runQuery("print d = series_divide(dynamic([2]), dynamic([0]))", {});
    expect(refusal(() => formatJson(arr))).toMatch(/the text of Infinity inside a dynamic value/);
    expect(refusal(() => formatCsv(arr))).toMatch(/the text of Infinity inside a dynamic value/);
    // The same hole elsewhere: pack_array, bag members, make_list (was [null] / {"a":null}).
    expect(refusal(() => formatJson(runQuery("print g = pack_array(1.0/0.0)", {})))).toMatch(/Infinity/);
    expect(refusal(() => formatJson(runQuery('print g = bag_pack("a", real(nan))', {})))).toMatch(/NaN/);
    expect(refusal(() => formatJson(runQuery("range x from 1 to 2 step 1 | summarize l = make_list(1.0/(x-1))", {}))))
      .toMatch(/Infinity/);
  });

  it("leaves finite members' text alone", () => {
    expect(json("print d = series_divide(dynamic([6, 1]), dynamic([4, 2])), b = bag_pack('a', 2.5)").rows)
      .toEqual([[[1.5, 0.5], { a: 2.5 }]]);
  });
});

describe("series_seasonal without a period", () => {
  it("returns zeros for a period that is neither -1 nor positive (series-seasonal-function.md)", () => {
    expect(json("print a = series_seasonal(dynamic([1, 3, 5, 1, 3, 5]), 0), b = tostring(series_seasonal(dynamic([2, 4]), -5))").rows)
      .toEqual([[[0, 0, 0, 0, 0, 0], "[0.0,0.0]"]]);
    // -1 (the default) detects the period with series_periods_detect's undocumented scoring: still refused.
    expect(refusal(() => runQuery("print series_seasonal(dynamic([1, 3, 5, 1, 3, 5]))", {}))).toMatch(/automatic period detection/);
  });
});
