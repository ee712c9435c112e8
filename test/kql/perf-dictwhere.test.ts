// Dictionary-encoded tables (prepareTable → runtime/columns.ts) and the per-distinct-value `where` over them
// (runtime/dictwhere.ts), and consumers asking only for the columns they read (StreamPlan.eachNeeded), against the
// general row-by-row path: the same query over a prepared table, and with column demand over an unprepared copy,
// must give the answer of the unprepared copy read in whole rows, for conditions on empty strings, invalid JSON,
// bags vs arrays, keys named like Object members, several columns, volatile functions, consumers that read only
// some columns, and the frozen rows array of a prepared table. A few answers are also computed here independently
// from the rows.
import { describe, expect, test } from "vitest";
import { createRng } from "../../src/random.js";
import { runQueryTyped } from "../../src/kql/engine.js";
import { prepareTable, type LoadedTable } from "../../src/kql/data.js";
import { dictionaryOf } from "../../src/kql/runtime/columns.js";
import { withWholeRows } from "../../src/kql/runtime/table.js";
import type { ColumnSchema, SchemaSet } from "../../src/schemas/model.js";
import type { Value } from "../../src/kql/values.js";

const rng = createRng;

const TEXTS = [
  "", "", "", " ", '{"Tags":["a","b"],"Score":1}', '{"Tags":["b"],"Score":2}', '{"Tags":[]}', '{"Tags":{"k":"v"}}',
  '{"Tags":null}', "[1,2,3]", "{not json", "null", '"quoted"', "42", '{"__proto__":{"x":1}}', "constructor", "toString",
  '{"Tags":["a","a","c"]}', "CMD.EXE", "cmd.exe", "powershell.exe",
];
const NAMES = ["cmd.exe", "CMD.EXE", "powershell.exe", "w3wp.exe", "", "a b", "net1.exe", "__proto__"];

const COLUMNS: ColumnSchema[] = [
  { name: "Id", type: "long" }, { name: "Name", type: "string" }, { name: "Extra", type: "string" },
  { name: "N", type: "long" }, { name: "Unique", type: "string" },
];

/** Rows with low-cardinality string columns, a long column with nulls and a high-cardinality string column. */
function makeRows(n: number, seed: number): Value[][] {
  const r = rng(seed);
  const pick = <T,>(a: readonly T[]) => a[Math.floor(r() * a.length)]!;
  // Built with slice/concat so equal texts are distinct string objects, as parsed files give them.
  return Array.from({ length: n }, (_, i) => [i, pick(NAMES).slice(0), pick(TEXTS).concat(""), r() < 0.2 ? null : Math.floor(r() * 5), `u${i}`]);
}

function tables(rows: Value[][], prepared: boolean): Map<string, LoadedTable> {
  const t: LoadedTable = { columns: COLUMNS, rows: rows.map((x) => x.slice()) };
  if (prepared) prepareTable(t);
  return new Map([["T", t]]);
}

const QUERIES = [
  "T | where isnotempty(Extra)",
  "T | where isempty(Extra) | count",
  "T | where Name in~ ('cmd.exe', 'w3wp.exe') | project Id, Name",
  "T | where Name =~ 'CMD.EXE' or strlen(Name) > 8",
  "T | where Name has 'exe' and not(Name startswith 'cmd')",
  "T | where Name == '__proto__'",
  "T | where isnotempty(Extra) | extend f = parse_json(Extra) | mv-expand tag = f.Tags | summarize n = count() by Tag = tostring(tag)",
  "T | where isnotempty(Extra) | extend f = parse_json(Extra) | summarize n = count() by t = gettype(f) | order by t asc",
  "T | where parse_json(Extra).Score > 1",
  "T | where isnotnull(parse_json(Extra).Tags) | mv-expand kind=array tag = parse_json(Extra).Tags | project Id, tag",
  "T | where tostring(parse_json(Extra)) != '' | count",
  // Conditions reading two columns, a non-string column, the whole row or a volatile function: the general path.
  "T | where Name == 'cmd.exe' and N > 1 | project Id",
  "T | where N == 2 | count",
  "T | where Unique endswith '7' | count",
  "T | where Name == 'cmd.exe' and rand() < 0.5 | count",
  "T | where isnotempty(Name) and tostring(pack_all()) has 'cmd' | count",
  "T | where * has 'cmd' | count",
  "T | where Name != 'cmd.exe' | summarize c = count() by Name | order by Name asc",
  "let x = 'cmd.exe'; T | where Name =~ x | count",
  "T | where Name in ((T | where Id < 10 | project Name)) | count",
  // Consumers reading a few columns (StreamPlan.eachNeeded): the scan fills coded columns from their codes, reads
  // rows for the others, and every operator between copies what is read downstream and by its own expressions.
  "T | where Name == 'cmd.exe' | extend x = strlen(Extra) | summarize s = sum(x) by Name",
  "T | where Name == 'cmd.exe' | extend x = strcat(Name, Unique) | summarize count() by x | count",
  "T | where isnotempty(Extra) | extend f = parse_json(Extra) | mv-expand tag = f.Tags | summarize n = count(), ids = make_set(Id) by t = tostring(tag)",
  "T | where Name == 'cmd.exe' | extend p = pack_all() | summarize count() by n = tostring(p.Name), x = tostring(p.Extra)",
  "T | where Name == 'cmd.exe' | project Name, Extra, k = strlen(Unique) | summarize count(), max(k) by Extra",
  "T | where Name == 'cmd.exe' | project-away Unique | summarize count() by Name, N",
  "T | where N > 1 | extend e = Extra | summarize count() by e, Name",
  "T | extend a = Name | where a == 'cmd.exe' | summarize count() by Extra",
  "T | summarize count() by Name",
  "T | where Name has 'exe' | extend Name = toupper(Name), Extra = strcat(Extra, '!') | summarize count() by Name, Extra",
  "T | where Name == 'cmd.exe' | mv-expand with_itemindex=i x = parse_json(Extra).Tags | summarize count() by i, tostring(x)",
  "T | where Name == 'cmd.exe' | mv-expand x = parse_json(Extra).Tags | summarize take_any(*) by Id | count",
  "T | where Name startswith 'c' | extend u = Unique | count",
  "T | where Name == 'cmd.exe' | extend r = row_number() | summarize max(r) by Extra",
  "T | where Name == 'cmd.exe' | project-rename Text = Extra | summarize count() by Text, Name",
  "T | project-keep Name, Extra | where Name has 'exe' | summarize count() by Extra",
  "T | where Name != '' | project-reorder Extra, Name | project-away Unique | summarize count() by Name, Extra, N",
  "T | where Name != '' | project-away Unique, Id | take 5000 | count",
  // Counting consumers over a demand that comes down to one dictionary column (StreamPlan.eachWeighted): each
  // distinct value is sent once with its number of rows.
  "T | where Name has 'exe' | summarize count() by Name",
  "T | where Name == 'cmd.exe' | summarize n = count(), m = count() by Extra",
  "T | where Name == 'cmd.exe' | extend e = strlen(Extra) | where e > 3 | summarize c = count() by e",
  "T | extend x = toupper(Name) | summarize count() by x",
  "T | project Name | summarize count() by Name | count",
  "T | where Name == 'cmd.exe' | count",
  "T | where isnotempty(Extra) | summarize count()",
  "T | where isempty(Extra) | project-rename E = Extra | summarize count() by E",
  "T | where Name == 'nothing' | summarize count()",
  "T | where Name == 'nothing' | summarize count() by Name",
  "T | where isnotempty(Extra) | mv-expand kind=array t = parse_json(Extra) | summarize count() by tostring(t)",
  "T | where isnotempty(Extra) | extend f = parse_json(Extra) | mv-expand tag = f.Tags limit 1 | summarize count() by tostring(tag), gettype(f)",
  "T | extend x = strcat(Name, rand()) | summarize count() by strlen(x) > 0",
  "T | where Name == 'cmd.exe' | summarize count(), dcount(Extra) by Name",
  "T | where Name == 'cmd.exe' | summarize count() by Extra, N",
];

describe("where over a dictionary-encoded table", () => {
  const rows = makeRows(3000, 7);

  test("prepareTable encodes the low-cardinality string columns only, and interns equal texts", () => {
    const t = tables(rows, true).get("T")!;
    const name = dictionaryOf(t.rows, 1)!;
    expect(name.values.length).toBe(new Set(rows.map((r) => r[1])).size);
    expect(dictionaryOf(t.rows, 0)).toBeUndefined(); // long
    expect(dictionaryOf(t.rows, 3)).toBeUndefined();
    expect(dictionaryOf(t.rows, 2)!.values.length).toBe(new Set(TEXTS).size);
    // Values are unchanged; codes name them.
    t.rows.forEach((r, i) => {
      expect(r).toEqual(rows[i]);
      expect(name.values[name.codes[i]!]).toBe(r[1]);
    });
  });

  test.each(QUERIES)("same answer as the general path: %s", (q) => {
    const opts = { now: "2024-01-15T00:00:00Z", seed: 5 };
    const general = withWholeRows(() => runQueryTyped(q, { ...opts, tables: tables(rows, false) }));
    expect(runQueryTyped(q, { ...opts, tables: tables(rows, true) })).toEqual(general);
    expect(runQueryTyped(q, { ...opts, tables: tables(rows, false) })).toEqual(general);
  });

  test("answers computed from the rows", () => {
    const t = tables(rows, true);
    const nonEmpty = rows.filter((r) => r[2] !== "").map((r) => r[0]);
    expect(runQueryTyped("T | where isnotempty(Extra) | project Id", { tables: t }).rows.map((r) => r[0])).toEqual(nonEmpty);
    const cmd = rows.filter((r) => String(r[1]).toLowerCase() === "cmd.exe").length;
    expect(runQueryTyped("T | where Name =~ 'cmd.exe' | count", { tables: t }).rows).toEqual([[cmd]]);
    let tags = 0;
    for (const r of rows) {
      const text = r[2] as string;
      if (!text.startsWith('{"Tags":[')) continue;
      tags += (JSON.parse(text) as { Tags: string[] }).Tags.filter((x) => x === "a").length;
    }
    const q = "T | where isnotempty(Extra) | extend f = parse_json(Extra) | mv-expand tag = f.Tags | where tostring(tag) == 'a' | count";
    expect(runQueryTyped(q, { tables: t }).rows).toEqual([[tags]]);
  });

  test("a prepared table's rows array is frozen: appending or replacing rows fails loudly", () => {
    const t = tables(rows, true);
    const table = t.get("T")!;
    const before = runQueryTyped("T | where Name == 'cmd.exe' | count", { tables: t }).rows;
    expect(() => { table.rows.push([99999, "cmd.exe", "", null, "x"]); }).toThrow(TypeError);
    expect(() => { table.rows[5] = [5, "cmd.exe", "", null, "x"]; }).toThrow(TypeError);
    expect(() => { table.rows.length = 3; }).toThrow(TypeError);
    expect(table.rows.length).toBe(rows.length);
    expect(runQueryTyped("T | where Name == 'cmd.exe' | count", { tables: t }).rows).toEqual(before);
    // A table without low-cardinality string columns gets no dictionary and stays editable.
    const plain: LoadedTable = { columns: [COLUMNS[0]!], rows: [[1], [2]] };
    prepareTable(plain);
    plain.rows.push([3]);
    expect(runQueryTyped("T | count", { tables: new Map([["T", plain]]) }).rows).toEqual([[3]]);
  });

  test("a table laid out differently from the schema (a column the rows lack) keeps its layout", () => {
    const schemas: SchemaSet = {
      tables: new Map([["T", { name: "T", columns: [...COLUMNS.slice(0, 2), { name: "Missing", type: "string" }, ...COLUMNS.slice(2)] }]]),
      functions: new Map(), watchlists: new Map(),
    };
    const q = "T | where Name == 'cmd.exe' | project Id, Missing, Name";
    const general = runQueryTyped(q, { tables: tables(rows, false), schemas });
    const byValue = runQueryTyped(q, { tables: tables(rows, true), schemas });
    expect(byValue).toEqual(general);
    expect(byValue.rows.length).toBeGreaterThan(0);
    expect(byValue.rows.every((r) => r[1] === "")).toBe(true);
    // The same with consumers that read only some columns (the absent one among them).
    for (const q2 of ["T | where Name == 'cmd.exe' | summarize count() by Missing, Extra", "T | where Name == 'cmd.exe' | extend m = strcat(Missing, '-') | summarize count() by m, N"]) {
      const g = withWholeRows(() => runQueryTyped(q2, { tables: tables(rows, false), schemas }));
      expect(runQueryTyped(q2, { tables: tables(rows, true), schemas })).toEqual(g);
      expect(g.rows.length).toBeGreaterThan(0);
    }
  });

  test("an error the condition raises is raised as on the general path", () => {
    const q = "T | where toint(Name) > 0 or assert(Name != 'net1.exe', 'boom') | count";
    const run = (prepared: boolean) => {
      try { return runQueryTyped(q, { tables: tables(rows, prepared) }); } catch (e) { return String(e); }
    };
    expect(run(true)).toEqual(run(false));
  });

  test("high-cardinality columns get no dictionary", () => {
    const many = Array.from({ length: 70_000 }, (_, i): Value[] => [i, `n${i}`, "", null, ""]);
    const t: LoadedTable = { columns: COLUMNS, rows: many };
    prepareTable(t);
    expect(dictionaryOf(t.rows, 1)).toBeUndefined();
    expect(dictionaryOf(t.rows, 2)!.values).toEqual([""]);
    expect(runQueryTyped("T | where Name == 'n69999' | project Id", { tables: new Map([["T", t]]) }).rows).toEqual([[69999]]);
  });
});
