// as-operator.md: "The name given by `as` will be used in the withsource= column of union" — both for a union leg
// and for the piped input. Such legs used to be refused (not a table or function name).
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
