// search and `where * <op> "term"` (search-operator.md, where-operator.md). Expected rows are derived by hand
// from the reference's predicate table: a bare term is `* has`, `x*` hasprefix, `*x` hassuffix, `*x*` contains,
// `Col:"x"` is `Col has "x"`; search is union of its sources plus a `$table` column, then where.
import { describe, expect, test } from "vitest";
import { runQuery } from "../../src/kql/engine.js";
import { errorOf as errorOfQuery } from "./operators-util.js";
import type { SchemaSet } from "../../src/schemas/model.js";

const schemas: SchemaSet = {
  tables: new Map([
    ["Products", { name: "Products", columns: [{ name: "Name", type: "string" }, { name: "Color", type: "string" }, { name: "Price", type: "long" }] }],
    ["Customers", { name: "Customers", columns: [{ name: "First", type: "string" }, { name: "Last", type: "string" }] }],
  ]),
  functions: new Map(),
  watchlists: new Map(),
};
const tables = {
  Products: [
    { Name: "Contoso Player Green", Color: "Green", Price: 10 },
    { Name: "Litware Fan blue", Color: "blue", Price: 20 },
    { Name: "Greenish lamp", Color: "Yellow", Price: 30 },
  ],
  Customers: [
    { First: "Mason", Last: "Green" },
    { First: "Aaron", Last: "Hughes" },
  ],
};
const run = (q: string) => runQuery(q, { schemas, tables });

const errorOf = (q: string) => errorOfQuery(q, run);

const names = (r: { columns: { name: string }[] }) => r.columns.map((c) => c.name);

describe("search", () => {
  test("a bare term searches the sources for the term (case-insensitive), with $table first", () => {
    const r = run('search in (Products) "green"');
    expect(names(r)).toEqual(["$table", "Name", "Color", "Price"]);
    expect(r.rows).toEqual([["Products", "Contoso Player Green", "Green", 10]]);
    expect(run('Customers | search "GREEN"').rows).toEqual([["Customers", "Mason", "Green"]]);
  });

  test("several sources with the same columns: each row labelled with its source (views by name)", () => {
    const r = run(`let V = view () { datatable(First:string, Last:string)["Ann", "green"] };
search in (Customers, V) "green"`);
    expect(r.rows).toEqual([["Customers", "Mason", "Green"], ["V", "Ann", "green"]]);
  });

  test("term wildcards: prefix, suffix, contains", () => {
    expect(run('search in (Products) "green*" | project Name').rows).toEqual([["Contoso Player Green"], ["Greenish lamp"]]);
    expect(run('search in (Products) "*ware" | project Name').rows).toEqual([["Litware Fan blue"]]);
    expect(run('search in (Products) "*ee*" | project Name').rows).toEqual([["Contoso Player Green"], ["Greenish lamp"]]);
  });

  test("kind=case_sensitive", () => {
    expect(run('Products | search kind=case_sensitive "blue" | project $table, Name').rows).toEqual([["Products", "Litware Fan blue"]]);
    expect(run('Products | search kind=case_sensitive "Blue"').rows).toEqual([]);
  });

  test("Column:term, and/or with ordinary predicates, search *", () => {
    expect(run('Customers | search First:"aaron" or Last:"green" | project First').rows).toEqual([["Mason"], ["Aaron"]]);
    expect(run('Products | search "green" and Price > 5 | project Name').rows).toEqual([["Contoso Player Green"]]);
    expect(run("Customers | search *").rows.length).toBe(2);
  });

  test("refused: no sources, sources with different columns, piped composite input, other wildcard forms", () => {
    expect(errorOf('search "green"').message).toMatch(/search without 'in/);
    expect(errorOf('search in (Products, Customers) "green"').message).toMatch(/different columns/);
    expect(errorOf('Customers | where First != "" | search "x"').kind).toBe("unsupported");
    expect(errorOf('Products | search "gr*en"').kind).toBe("unsupported");
    expect(errorOf('Customers | search kind=case_sensitive "x" or First =~ "mason"').kind).toBe("unsupported");
  });
});

describe("where * <op> term", () => {
  test("any string column matching keeps the row", () => {
    const r = run('Products | where * has "blue"');
    expect(r.rows).toEqual([["Litware Fan blue", "blue", 20]]);
    expect(run('Products | where * hasprefix_cs "Green"').rows.map((x) => x[0])).toEqual(["Contoso Player Green", "Greenish lamp"]);
  });

  test("a row only a non-string column could match is refused, not guessed", () => {
    const e = errorOf('Products | where * has "20"');
    expect(e.kind).toBe("unsupported");
    expect(e.message).toMatch(/long column 'Price' could match at 1:18$/);
    // A term no number can contain is decided by the string columns alone.
    expect(run('Products | where * has "lamp"').rows).toEqual([["Greenish lamp", "Yellow", 30]]);
  });

  test("negated forms are refused", () => {
    expect(errorOf('Products | where * !has "x"').kind).toBe("unsupported");
  });
});
