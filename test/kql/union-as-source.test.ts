// as-operator.md: "The name given by `as` will be used in the withsource= column of union … and the $table column of
// search" — for a union leg, a piped union input and a piped search input.
// Such inputs used to be refused.
import { describe, expect, it } from "vitest";
import { runQuery } from "../../src/kql/engine.js";
import { errorOf } from "./operators-util.js";

const rows = (q: string) => runQuery(q).rows;

describe("union withsource labels legs named by as", () => {
  it("a parenthesized leg ending in `as Name`", () => {
    expect(rows(`union withsource=Src (print x = 1 | as A), (print x = 2 | as B)`)).toEqual([["A", 1], ["B", 2]]);
  });
  it("the piped input named by as", () => {
    expect(rows(`print x = 1 | as A | union withsource=Src (print x = 2 | as B)`)).toEqual([["A", 1], ["B", 2]]);
  });
  it("a piped input or leg without a name is still refused", () => {
    expect(errorOf(`print x = 1 | union withsource=Src (print x = 2 | as B)`).message).toMatch(/piped input/);
    expect(errorOf(`union withsource=Src (print x = 1), (print x = 2 | as B)`).message).toMatch(/not a table or function name/);
  });
});

describe("search over a piped input named by as", () => {
  it("uses the name as $table; an unnamed composite input is still refused", () => {
    expect(rows(`datatable(Name:string, n:long)["Green Lab", 1, "blue", 2] | as Products | search "green"`)).toEqual([["Products", "Green Lab", 1]]);
    expect(errorOf(`datatable(Name:string, n:long)["Green Lab", 1] | search "green"`).message).toMatch(/not a table name/);
  });
});
