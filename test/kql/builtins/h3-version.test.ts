// parse_version(). Expected values: parse-version-function.md ("0.0.0.5" → 5, "0.0.7.0" → 700,000,000,
// "0.0.3" → 300,000,000; up to four parts of up to eight digits, otherwise null).
import { describe, expect, it } from "vitest";
import { runQuery } from "../../../src/kql/engine.js";

describe("parse_version", () => {
  it("documented values within the engine's exact range, as decimal", () => {
    const r = runQuery(`datatable(v: string)["0.0.0.5", "0.0.7.0", "0.0.3", "0.0.90071992.54740991"] | extend p = parse_version(v)`);
    expect(r.columns[1]!.type).toBe("decimal");
    expect(r.rows.map((x) => x[1])).toEqual([5, 700000000, 300000000, 9007199254740991]);
  });
  it("compares exactly where it answers", () => {
    expect(runQuery(`print parse_version("0.0.1.10") > parse_version("0.0.1.9"), parse_version("0.0.2") == parse_version("0.0.2.0")`).rows)
      .toEqual([[true, true]]);
  });
  it("text that is not a version is null", () => {
    const r = runQuery(`datatable(v: string)["", "x", "1.2.3.4.5", "0.0.123456789", "1..2", "1.2-beta", "1.x"] | project parse_version(v)`);
    expect(r.rows).toEqual([[null], [null], [null], [null], [null], [null], [null]]);
  });
  it("refuses results beyond 2^53 (they would round) and parts with a sign or white space", () => {
    expect(() => runQuery(`print parse_version("1.0.0.0")`)).toThrow(/unsupported: parse_version\('1.0.0.0'\) = 1000000000000000000000000 is beyond/);
    expect(() => runQuery(`print parse_version("0.2")`)).toThrow(/beyond the engine's exact decimal range/);
    expect(() => runQuery(`print parse_version("0.0.90071992.54740992")`)).toThrow(/beyond/);
    expect(() => runQuery(`print parse_version(" 0.0.1")`)).toThrow(/sign or white space/);
    expect(() => runQuery(`print parse_version("0.0.+1")`)).toThrow(/sign or white space/);
  });
});
