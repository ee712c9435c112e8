// make-series parameters (make-series-operator.md): kind=nonempty gives one row of defaults over an empty input
// (the documented example: nine days of default=1.0), hint.* changes nothing, anything undocumented is refused.
import { describe, expect, test } from "vitest";
import { runQuery } from "../../src/kql/engine.js";
import { errorOf } from "./operators-util.js";
import { formatJson } from "../../src/kql/format.js";

const DATA = `let data = datatable(timestamp:datetime, metric:real)
  [datetime(2017-01-01), 4, datetime(2017-01-02), 3, datetime(2017-01-03), 4, datetime(2017-01-03T03:00), 6];
data`;
const json = (q: string) => JSON.parse(formatJson(runQuery(q))).rows as unknown[][];


const days = (n: number) => Array.from({ length: n }, (_, i) => `2017-01-0${i + 1}T00:00:00.0000000Z`);

describe("make-series kind=nonempty", () => {
  test("an empty input gives one row of defaults over the from/to axis", () => {
    expect(json(`${DATA} | take 0 | make-series kind=nonempty avg(metric) default=1.0 on timestamp from datetime(2017-01-01) to datetime(2017-01-10) step 1d`))
      .toEqual([[[1, 1, 1, 1, 1, 1, 1, 1, 1], days(9)]]);
  });
  test("without kind=nonempty an empty input gives no rows", () => {
    expect(json(`${DATA} | take 0 | make-series avg(metric) default=1.0 on timestamp from datetime(2017-01-01) to datetime(2017-01-10) step 1d`)).toEqual([]);
  });
  test("a non-empty input is unchanged by kind=nonempty", () => {
    expect(json(`${DATA} | make-series kind=nonempty sum(metric) on timestamp from datetime(2017-01-01) to datetime(2017-01-04) step 1d`))
      .toEqual([[[4, 3, 10], days(3)]]);
  });
  test("empty input with 'by' or without bounds is refused (undocumented)", () => {
    expect(errorOf(`${DATA} | take 0 | make-series kind=nonempty sum(metric) on timestamp from datetime(2017-01-01) to datetime(2017-01-04) step 1d by b = metric > 1`).kind).toBe("unsupported");
    expect(errorOf(`${DATA} | take 0 | make-series kind=nonempty sum(metric) on timestamp step 1d`).kind).toBe("unsupported");
  });
});

describe("other make-series parameters", () => {
  test("hint.shufflekey is accepted and changes nothing", () => {
    expect(json(`${DATA} | make-series hint.shufflekey=metric count() on timestamp from datetime(2017-01-01) to datetime(2017-01-04) step 1d`))
      .toEqual([[[1, 1, 2], days(3)]]);
  });
  test("the axis elements are typed datetimes", () => {
    expect(json(`${DATA} | make-series count() on timestamp from datetime(2017-01-01) to datetime(2017-01-03) step 1d | project gettype(timestamp[0])`))
      .toEqual([["datetime"]]);
  });
});
