// externaldata offline (externaldata-operator.md): the declared schema is the result schema, rows come from the
// caller's local mapping, parsed with the operator's format and ignoreFirstRecord. Expected rows are the fixture
// contents read by hand; an unmapped URL is a runtime error naming it, never an empty table.
import { describe, expect, test } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { KqlError, type RunOptions } from "../../src/kql/api.js";
import { runQuery } from "../../src/kql/engine.js";
import { formatJson } from "../../src/kql/format.js";
import { formatFromUrl } from "../../src/kql/runtime/externaldata.js";

const URL1 = "https://raw.githubusercontent.com/example/feeds/main/ioc.csv";
const json = (q: string, externalData: RunOptions["externalData"]) =>
  JSON.parse(formatJson(runQuery(q, { externalData, now: "2024-01-01T00:00:00Z" })));

function errorOf(q: string, externalData?: RunOptions["externalData"]): KqlError {
  try {
    runQuery(q, { externalData });
  } catch (e) {
    expect(e).toBeInstanceOf(KqlError);
    return e as KqlError;
  }
  throw new Error(`query succeeded: ${q}`);
}

const dir = mkdtempSync(path.join(tmpdir(), "scac-h8-ext-"));
const csvFile = path.join(dir, "ioc.csv");
writeFileSync(csvFile, 'Indicator,Score,Seen\n1.2.3.4,80,2024-01-02T00:00:00Z\n"evil.example, inc",5,\n');

describe("formats", () => {
  test("csv by position, ignoreFirstRecord skips the header, empty fields are null (\"\" for strings)", () => {
    const r = json(`externaldata(Indicator:string, Score:long, Seen:datetime) [h@"${URL1}"] with(format="csv", ignoreFirstRecord=true)`, { [URL1]: csvFile });
    expect(r.columns).toEqual([{ name: "Indicator", type: "string" }, { name: "Score", type: "long" }, { name: "Seen", type: "datetime" }]);
    expect(r.rows).toEqual([["1.2.3.4", 80, "2024-01-02T00:00:00Z"], ["evil.example, inc", 5, null]]);
  });
  test("without ignoreFirstRecord the header is a record (and fails to convert to long: a data error)", () => {
    const e = errorOf(`externaldata(Indicator:string, Score:long, Seen:datetime) [h@"${URL1}"] with(format="csv")`, { [URL1]: csvFile });
    expect(e.kind).toBe("data");
    expect(e.message).toContain(URL1);
  });
  test("missing trailing fields are null; extra fields are an error", () => {
    expect(json(`externaldata(a:string, b:long) ["https://x/f.csv"]`, { "https://x/f.csv": { text: "x\ny,2\n" } }).rows).toEqual([["x", null], ["y", 2]]);
    expect(errorOf(`externaldata(a:string) ["https://x/f.csv"]`, { "https://x/f.csv": { text: "x,1\n" } }).message).toMatch(/2 fields for the 1 declared/);
  });
  test("tsv splits on tabs; quoted TSV fields are refused", () => {
    expect(json(`externaldata(a:string, b:long) ["https://x/f"] with(format=tsv)`, { "https://x/f": { text: "p q\t1\n" } }).rows).toEqual([["p q", 1]]);
    expect(errorOf(`externaldata(a:string, b:long) ["https://x/f"] with(format=tsv)`, { "https://x/f": { text: '"p"\t1\n' } }).kind).toBe("unsupported");
  });
  test("txt: one single-column record per line", () => {
    expect(json(`externaldata(Domain:string) ["https://x/list.txt"] with(format="txt", ignoreFirstRecord=true)`,
      { "https://x/list.txt": { text: "# domains\nevil.example\r\nbad.example\n" } }).rows).toEqual([["evil.example"], ["bad.example"]]);
    expect(errorOf(`externaldata(a:string, b:string) ["https://x/list.txt"] with(format="txt")`, { "https://x/list.txt": { text: "a\n" } }).kind).toBe("unsupported");
  });
  test("json: one object per line, members by column name (others ignored)", () => {
    expect(json(`externaldata(id:long, tags:dynamic) ["https://x/f.json"] with(format="json")`,
      { "https://x/f.json": { text: '{"id":1,"tags":["a"],"other":true}\n\n{"id":2}\n' } }).rows).toEqual([[1, ["a"]], [2, null]]);
  });
  test("multijson: pretty-printed objects and arrays of objects", () => {
    const text = '[{"AppId":"0000000c-0000-0000-c000-000000000000","AppDisplayName":"Microsoft App Access Panel"}]\n{\n  "AppId": "00000002-0000-0000-c000-000000000000",\n  "AppDisplayName": "Windows Azure Active Directory"\n}\n';
    expect(json(`externaldata(AppId:guid, AppDisplayName:string) [h@"https://x/MicrosoftApps.json"] with(format="multijson")`, { "https://x/MicrosoftApps.json": { text } }).rows)
      .toEqual([["0000000c-0000-0000-c000-000000000000", "Microsoft App Access Panel"], ["00000002-0000-0000-c000-000000000000", "Windows Azure Active Directory"]]);
  });
  test("the format defaults from the URL's extension (query string and .gz ignored), else CSV", () => {
    expect(formatFromUrl("https://a/b/list.TXT?sv=1&sig=x")).toBe("txt");
    expect(formatFromUrl("https://a/b/data.json.gz")).toBe("json");
    expect(formatFromUrl("https://a/b/feed")).toBe("csv");
  });
  test("other formats and properties are refused at the property", () => {
    const e = errorOf(`externaldata(a:string) ["https://x/f"] with(format="parquet")`, {});
    expect(e.kind).toBe("unsupported");
    expect(e.message).toMatch(/format=parquet .* at 1:\d+/);
    expect(errorOf(`externaldata(a:string) ["https://x/f"] with(ingestionMapping='[]')`, {}).message).toMatch(/ingestionMapping/);
    expect(errorOf(`externaldata(a:string) ["https://x/f"] with(compressed=true)`, {}).message).toMatch(/property compressed/);
  });
});

describe("ingestionMapping (plain Path / Ordinal forms)", () => {
  test("JSON Path mapping: each column from its path, absent paths null, unmapped columns null", () => {
    const q = `externaldata(UserId:string, Score:long) [h@"https://x/u.json"] with(format="multijson",
      ingestionMapping='[{"Column":"UserId","Properties":{"Path":"$.user.id"}},{"column":"Score","properties":{"path":"$.scores[1]"}}]')`;
    expect(json(q, { "https://x/u.json": { text: '{"user":{"id":"alice"},"scores":[1,9]}\n{"user":{}}' } }).rows).toEqual([["alice", 9], ["", null]]);
  });
  test("CSV Ordinal mapping picks fields by position", () => {
    const q = `externaldata(a:string, b:long) ["https://x/u.csv"] with(format="csv", ingestionMapping='[{"Column":"b","Properties":{"Ordinal":"2"}}]')`;
    expect(json(q, { "https://x/u.csv": { text: "x,y,3\n" } }).rows).toEqual([["", 3]]);
  });
  test("transforms, unknown columns and a Path mapping on CSV are refused", () => {
    expect(errorOf(`externaldata(a:string) ["https://x/u.csv"] with(ingestionMapping='[{"Column":"a","Properties":{"Ordinal":"0","Transform":"x"}}]')`, {}).kind).toBe("unsupported");
    expect(errorOf(`externaldata(a:string) ["https://x/u.csv"] with(ingestionMapping='[{"Column":"z","Properties":{"Ordinal":"0"}}]')`, {}).message).toMatch(/not declared/);
    expect(errorOf(`externaldata(a:string) ["https://x/u.csv"] with(format="csv", ingestionMapping='[{"Column":"a","Properties":{"Path":"$.a"}}]')`,
      { "https://x/u.csv": { text: "q\n" } }).kind).toBe("unsupported");
  });
});

describe("sources and URLs", () => {
  test("row objects are the result rows, coerced by the declared schema", () => {
    expect(json(`externaldata(ip:string, n:int) ["https://x/a"]`, { "https://x/a": [{ ip: "10.0.0.1", n: "3" }] }).rows).toEqual([["10.0.0.1", 3]]);
    expect(errorOf(`externaldata(ip:string) ["https://x/a"]`, { "https://x/a": [{ addr: "10.0.0.1" }] }).message).toMatch(/unknown column 'addr'/);
  });
  test("several URIs concatenate in order", () => {
    expect(json(`externaldata(a:string) ["https://x/1", "https://x/2"] with(format=txt)`, { "https://x/1": { text: "one\n" }, "https://x/2": { text: "two\n" } }).rows)
      .toEqual([["one"], ["two"]]);
  });
  test("an unmapped URL is a runtime error naming it, even when the result would be filtered away", () => {
    const e = errorOf(`externaldata(a:string) ["https://x/missing.csv"] | where a == "z"`);
    expect(e.kind).toBe("runtime");
    expect(e.message).toContain("https://x/missing.csv");
  });
  test("the Sentinel pattern: an IOC list in a let, used with in", () => {
    const q = `let IoC = externaldata(Indicator:string, Score:long, Seen:datetime) [@"${URL1}"] with(format="csv", ignoreFirstRecord=True);
      datatable(RemoteIP:string) ["1.2.3.4", "9.9.9.9"] | where RemoteIP in ((IoC | project Indicator))`;
    expect(json(q, { [URL1]: csvFile }).rows).toEqual([["1.2.3.4"]]);
  });
});

describe("scac query --externaldata", () => {
  const root = fileURLToPath(new URL("../../", import.meta.url));
  test("maps a URL (with '=' in its SAS query) to a local file", () => {
    const url = `${URL1}?sv=2020&sig=abc%3D=`;
    const r = spawnSync(process.execPath, ["--import", "tsx", "src/cli.ts", "query", "--format", "json",
      "-e", `externaldata(Indicator:string, Score:long) [h@"${url}"] with(format="csv", ignoreFirstRecord=true) | project Indicator`,
      "--externaldata", `${url}=${path.join(dir, "ioc2.csv")}`], { cwd: root, encoding: "utf8" });
    expect(r.status).toBe(1); // the file does not exist yet: a data error naming the URL
    expect(r.stderr).toContain(url);
    writeFileSync(path.join(dir, "ioc2.csv"), "Indicator,Score\n5.6.7.8,1\n");
    const ok = spawnSync(process.execPath, ["--import", "tsx", "src/cli.ts", "query", "--format", "json",
      "-e", `externaldata(Indicator:string, Score:long) [h@"${url}"] with(format="csv", ignoreFirstRecord=true) | project Indicator`,
      "--externaldata", `${url}=${path.join(dir, "ioc2.csv")}`], { cwd: root, encoding: "utf8" });
    expect(ok.stderr).toBe("");
    expect(JSON.parse(ok.stdout).rows).toEqual([["5.6.7.8"]]);
  }, 60_000);
});
