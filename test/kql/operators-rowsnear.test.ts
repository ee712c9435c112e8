// evaluate rows_near (rows-near-plugin.md): rows within NumRows before / RowsAfter after a row whose condition is
// true, over a serialized input. Expected rows derived by hand from the page's Returns section.
import { describe, expect, test } from "vitest";
import { runQuery } from "../../src/kql/engine.js";
import { errorOf } from "./operators-util.js";

const rows = (q: string) => runQuery(q).rows;
const R = "range x from 1 to 10 step 1 | sort by x asc";

describe("evaluate rows_near", () => {
  test("NumRows before and after each true row; overlapping windows give each row once, in input order", () => {
    // x = 4 and 8 are true: 3..5 and 7..9.
    expect(rows(`${R} | evaluate rows_near(x % 4 == 0, 1)`)).toEqual([[3], [4], [5], [7], [8], [9]]);
    // x = 4 and 6: 2..6 and 4..8 overlap into 2..8.
    expect(rows(`${R} | evaluate rows_near(x == 4 or x == 6, 2)`)).toEqual([[2], [3], [4], [5], [6], [7], [8]]);
  });
  test("RowsAfter overrides the rows after; windows stop at the ends of the input", () => {
    expect(rows(`${R} | evaluate rows_near(x % 4 == 0, 1, 0)`)).toEqual([[3], [4], [7], [8]]);
    expect(rows(`${R} | evaluate rows_near(x == 1 or x == 10, 0, 3)`)).toEqual([[1], [2], [3], [4], [10]]);
  });
  test("a null condition is not true; no true row gives no rows", () => {
    expect(rows(`${R} | extend b = iff(x == 5, bool(null), x == 9) | evaluate rows_near(b, 1) | project x`)).toEqual([[8], [9], [10]]);
    expect(rows(`${R} | evaluate rows_near(x > 100, 3)`)).toEqual([]);
  });
  test("serialized input: range, or sort/serialize/top followed by operators that keep the order", () => {
    expect(rows("range x from 1 to 10 step 1 | evaluate rows_near(x == 5, 1)")).toEqual([[4], [5], [6]]);
    expect(rows("range x from 1 to 10 step 1 | serialize | where x > 2 | project x | evaluate rows_near(x == 5, 1)")).toEqual([[4], [5], [6]]);
  });
  test("refused: an input not known to be serialized, a negative or non-constant count", () => {
    expect(errorOf("datatable(x:long)[1, 2] | evaluate rows_near(x == 1, 1)").message).toMatch(/not serialized.* at 1:\d+$/);
    expect(errorOf("range x from 1 to 4 step 1 | summarize by x | evaluate rows_near(x == 1, 1)").message).toMatch(/not serialized/);
    expect(errorOf(`${R} | evaluate rows_near(x == 5, -1)`).message).toMatch(/non-negative integer/);
    expect(errorOf(`${R} | evaluate rows_near(x == 5, x)`).kind).toMatch(/unsupported|semantic/);
  });
});
