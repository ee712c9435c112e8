// User-defined functions (functions/user-defined-functions.md): named arguments and defaults, let statements in a
// function body evaluated per calling row, argument types, builtins' named arguments, and union's renaming of
// same-named columns of different types (union-operator.md). Expected values are derived by hand from the docs.
import { describe, expect, test } from "vitest";
import { runQuery } from "../../src/kql/engine.js";
import { formatJson } from "../../src/kql/format.js";
import { errorOf as sharedErrorOf } from "./operators-util.js";

const NOW = "2024-05-06T07:08:09Z";
const result = (q: string) => JSON.parse(formatJson(runQuery(q, { now: NOW }))) as { columns: { name: string; type: string }[]; rows: unknown[][] };
const rows = (q: string) => result(q).rows;

const errorOf = (q: string) => sharedErrorOf(q, (x) => runQuery(x, { now: NOW }));

const F = `let f = (a:long, b:string = "b.default", c:long = 0) { strcat(a, "-", b, "-", c) };\n`;

describe("named arguments and defaults of user-defined functions", () => {
  test("scrambled names, names after positional ones, and omitted defaults", () => {
    expect(rows(`${F}print f(c=7, a=12), f(12, c=7), f(12), f(b="x", a=1), f(1, "y", 2), f(a=1, b="z", c=3)`))
      .toEqual([["12-b.default-7", "12-b.default-7", "12-b.default-0", "1-x-0", "1-y-2", "1-z-3"]]);
  });
  test("a name in its own position lets positional arguments follow it", () => {
    expect(rows(`${F}print f(a=5, "q")`)).toEqual([["5-q-0"]]);
  });
  test("named arguments per row", () => {
    expect(rows(`${F}range i from 1 to 3 step 1 | project r = f(c=i * 10, a=i)`)).toEqual([["1-b.default-10"], ["2-b.default-20"], ["3-b.default-30"]]);
  });
  test("invoke: the piped table is the first parameter; named scalars follow", () => {
    const g = `let g = (T:(x:long), n:long = 2, m:long = 1) { T | where x > m | take n };\n`;
    expect(rows(`${g}range x from 1 to 9 step 1 | invoke g(m=6, n=5)`)).toEqual([[7], [8], [9]]);
    expect(rows(`${g}range x from 1 to 9 step 1 | invoke g(1)`)).toEqual([[2]]);
  });
  test("the binder's errors stay semantic errors: unknown names, missing required, positional after an out-of-place name", () => {
    expect(errorOf(`${F}print f(d=1)`).kind).toBe("semantic");
    expect(errorOf(`${F}print f(b="x")`).kind).toBe("semantic");
    expect(errorOf(`${F}print f(c=7, 12)`).kind).toBe("semantic");
  });
});

describe("function bodies", () => {
  test("let statements over a per-row parameter are evaluated per row", () => {
    expect(rows(`let f = (x:long) { let y = x * 2; let z = y + 1; z * 10 };\nrange i from 1 to 3 step 1 | extend r = f(i)`))
      .toEqual([[1, 30], [2, 50], [3, 70]]);
  });
  test("inner lets mixing constants, parameters and a nested function", () => {
    const q = `let f = (s:string, n:long) { let k = 100; let g = (v:long) { v + k }; let m = strlen(s) * n; g(m) };
      datatable(s:string, n:long) ["ab", 1, "abc", 2] | project r = f(s, n)`;
    expect(rows(q)).toEqual([[102], [106]]);
  });
  test("a per-row let used inside toscalar() is the documented restriction (semantic error)", () => {
    const e = errorOf(`let f = (x:long) { let y = x * 2; toscalar(print y) };\nrange i from 1 to 3 step 1 | extend r = f(i)`);
    expect(e.kind).toBe("semantic");
    expect(e.message).toMatch(/'y' depends on the calling row/);
  });
  test("a let not depending on the row may still be used in a sub-query", () => {
    expect(rows(`let f = (x:long) { let lim = 2; x + toscalar(range j from 1 to 5 step 1 | where j <= lim | count) };\nprint f(10)`))
      .toEqual([[12]]);
  });
  test("a non-constant argument outside a row context (toscalar) is one value, usable in the body's sub-queries", () => {
    expect(rows(`let G = (T:(x:long), k:long) { T | extend y = x + k };
G((range x from 1 to 2 step 1), toscalar(print 5))`))
      .toEqual([[1, 6], [2, 7]]);
    expect(rows(`let G = (k:long) { range x from 1 to k step 1 };
G(toscalar(print 3)) | count`)).toEqual([[3]]);
    expect(rows(`let f = (k:long) { toscalar(range x from 1 to k step 1 | count) };
print f(toscalar(print 4))`)).toEqual([[4]]);
  });
  test("tabular parameters with a schema and with (*)", () => {
    expect(rows(`let F = (T:(x:long), v:long) { T | where x >= v };\nF((range x from 1 to 10 step 1), 9)`)).toEqual([[9], [10]]);
    expect(rows(`let D = (T:(*)) { T | distinct * };\nD(datatable(a:string)["x","y","x"]) | sort by a asc`)).toEqual([["x"], ["y"]]);
  });
  test("recursion: the binder does not know the function inside its own body", () => {
    expect(errorOf(`let f = (n:long) { iff(n <= 1, 1, n * f(n - 1)) };\nprint f(3)`).kind).toBe("semantic");
  });
});

describe("argument types", () => {
  test("int widens to long and real; long to real divides as real", () => {
    expect(rows(`let h = (x:real) { x / 2 }; print h(5), h(int(7))`)).toEqual([[2.5, 3.5]]);
  });
  test("defaults take their parameter's declared type too", () => {
    expect(rows(`let f = (r:real = 1, i:int = 2, d:dynamic = dynamic([1])) { strcat(r / 2, "/", i, "/", gettype(d)) }; print f()`))
      .toEqual([["0.5/2/array"]]);
  });
  test("a long constant within int's range narrows to an int parameter", () => {
    expect(rows(`let k = (i:int) { i + 1 }; print k(41)`)).toEqual([[42]]);
  });
  test("a long beyond int's range for an int parameter is refused", () => {
    const e = errorOf(`let k = (i:int) { i + 1 }; print k(5000000000)`);
    expect(e.kind).toBe("unsupported");
    expect(e.message).toMatch(/beyond int's range for parameter 'i'/);
  });
  test("scalars passed to a dynamic parameter keep their type", () => {
    expect(rows(`let d = (v:dynamic) { gettype(v) }; print d(datetime(2024-01-01)), d("a"), d(1.5)`)).toEqual([["datetime", "string", "real"]]);
  });
});

describe("named arguments of builtins", () => {
  test("a name in its parameter's own position is the same call", () => {
    expect(rows(`print strcat_delim(delimiter="-", "a", "b"), round(number=2.26, 1)`)).toEqual([["a-b", 2.3]]);
    expect(rows(`datatable(x:long)[1, 2, 2, 3] | summarize s = array_length(make_set(x, maxSize=2))`)).toEqual([[2]]);
  });
  test("a name that is not the parameter at its position is refused", () => {
    const e = errorOf(`print x = case(1 == 1, strcat="a", "b")`);
    expect(e.kind).toBe("unsupported");
    expect(e.message).toMatch(/named argument 'strcat'.*case\(\) at 1:24/);
  });
});

describe("union of same-named columns of different types (union-operator.md)", () => {
  const views = `let View_1 = view () { print x=1 };\nlet View_2 = view () { print x=toint(2) };\nlet View_3 = view () { print x_long=3 };\n`;
  test("the documented example: the input's own x_long keeps its name, the renamed one becomes x_long1", () => {
    const r = result(`${views}union withsource=TableName View_1, View_2, View_3`);
    expect(r.columns.map((c) => `${c.name}:${c.type}`)).toEqual(["TableName:string", "x_long1:long", "x_int:int", "x_long:long"]);
    expect(r.rows).toEqual([["View_1", 1, null, null], ["View_2", null, 2, null], ["View_3", null, null, 3]]);
  });
  test("the input's own column first: same layout rule, names as the binder's", () => {
    const r = result(`${views}union View_3, View_1, View_2 | take 5`);
    expect(r.columns.map((c) => c.name)).toEqual(["x_long", "x_long1", "x_int"]);
    expect(r.rows).toEqual([[3, null, null], [null, 1, null], [null, null, 2]]);
  });
  test("operators bound to the binder's differing names after such a union are refused", () => {
    const e = errorOf(`${views}union View_1, View_2, View_3 | where x_long == 3`);
    expect(e.kind).toBe("unsupported");
    expect(e.message).toMatch(/union of same-named columns of different types/);
  });
  test("without a collision the renamed columns are used downstream as usual", () => {
    expect(rows(`union (print x=1), (print x="s") | where isnotempty(x_string) | project x_string`)).toEqual([["s"]]);
  });
});
