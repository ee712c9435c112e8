// The real-Kusto executor against recorded v2 REST responses replayed by a local server: the request it sends
// (inlined datatables, query_now, database) and the conversion of the response into the engine's QueryResult.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TokenCredential } from "@azure/identity";
import { createHttpHeaders, type HttpClient, type PipelineRequest } from "@azure/core-rest-pipeline";
import { KqlError } from "../../src/kql/api.js";
import { runQuery } from "../../src/kql/engine.js";
import { parseDatetime } from "../../src/kql/values.js";
import { addSchemaText } from "../../src/schemas/loader.js";
import { emptySchemaSet } from "../../src/schemas/model.js";
import { createKustoEngine, KustoConfigError } from "../../src/kusto/engine.js";
import { checkExpectation } from "../../src/testing/expect.js";
import { recordings, startReplay } from "./replay.js";

let replay: Awaited<ReturnType<typeof startReplay>>;
beforeAll(async () => { replay = await startReplay(); });
afterAll(async () => { await replay?.close(); });

const schemas = emptySchemaSet();
addSchemaText(schemas, "tables:\n  - name: Events\n    columns: { Name: string, Count: long, Ratio: real, At: datetime, Took: timespan, Id: guid, Props: dynamic, Ok: bool }\n", "events.yaml");
const QUERY = "Events\n| where Count > 1\n| project Name, Count, Ratio, At, Took, Id, Props, Ok, Day = startofday(At)";
const ROWS = [
  { Name: "web01", Count: 3, Ratio: 0.5, At: "2026-11-20T11:50:00Z", Took: "00:05:00", Id: "6F1C0000-AAAA-4BBB-8CCC-0123456789AB", Props: { a: [1, 2], b: "x" }, Ok: true },
  { Name: "say \"hi\"\n", Count: 1 },
];
const NOW = "2026-11-20T12:00:00Z";

describe("Kusto engine (recorded v2 responses)", () => {
  it("inlines the rows as a datatable, pins now(), and converts every type into the engine's value model", async () => {
    const run = createKustoEngine({ cluster: replay.url });
    const r = await run(QUERY, { tables: { Events: ROWS }, schemas, now: NOW });
    const sent = replay.received.at(-1)!;
    expect(sent.path).toBe("/v2/rest/query");
    expect(sent.body.db).toBe("NetDefaultDB");
    expect(sent.body.csl).toBe(recordings().find((x) => x.request.csl.includes("startofday"))!.request.csl);
    expect(sent.body.properties?.Options?.query_now).toBe("2026-11-20T12:00:00Z");
    expect(sent.headers.authorization).toBeUndefined(); // loopback http: no token, ever
    expect(r.columns.map((c) => `${c.name}:${c.type}`)).toEqual(["Name:string", "Count:long", "Ratio:real", "At:datetime", "Took:timespan", "Id:guid", "Props:dynamic", "Ok:bool", "Day:datetime"]);
    expect(r.rows).toEqual([["web01", 3, 0.5, parseDatetime("2026-11-20T11:50:00Z"), 3_000_000_000n, "6f1c0000-aaaa-4bbb-8ccc-0123456789ab", { a: [1, 2], b: "x" }, true, parseDatetime("2026-11-20T00:00:00Z")]]);
  });

  it("the same assertions apply to both engines, and they agree on this case", async () => {
    const kusto = await createKustoEngine({ cluster: replay.url })(QUERY, { tables: { Events: ROWS }, schemas, now: NOW });
    const local = runQuery(QUERY, { tables: { Events: ROWS }, schemas, now: NOW });
    expect(kusto).toEqual(local);
    const now = parseDatetime(NOW)!;
    expect(checkExpectation({ rows: { min: 1, max: 1 }, present: [{ Name: "web01", Count: 3, Took: "00:05:00" }] }, kusto, undefined, { now })).toBeUndefined();
    expect(checkExpectation({ rows: { min: 0, max: 0 } }, kusto, undefined, { now })).toMatch(/rows/);
  }, 60_000);

  it("service errors become KqlErrors: 400 semantic error, and an error after the 200 status line", async () => {
    const run = createKustoEngine({ cluster: replay.url });
    const e1 = await run("Events\n| where Nmae == \"web01\"", { tables: { Events: [{ Name: "web01" }] } }).catch((e: unknown) => e);
    expect(e1).toBeInstanceOf(KqlError);
    expect((e1 as KqlError).kind).toBe("semantic");
    expect((e1 as KqlError).message).toBe("Kusto: Semantic error: SEM0100: 'where' operator: Failed to resolve scalar expression named 'Nmae' (General_BadRequest)");
    const e2 = await run("Events\n| extend X = toint(Name) / 0", { tables: { Events: [{ Name: "web01" }] } }).catch((e: unknown) => e);
    expect((e2 as KqlError).kind).toBe("runtime");
    expect((e2 as KqlError).message).toMatch(/Partial query failure: Division by zero/);
  });

  it("unreachable cluster and refused configurations are clear errors", async () => {
    const e = await createKustoEngine({ cluster: "http://127.0.0.1:9" })("print 1").catch((x: unknown) => x);
    expect((e as KqlError).message).toMatch(/^Kusto: cannot reach http:\/\/127\.0\.0\.1:9/);
    expect(() => createKustoEngine({ cluster: "http://kusto.example.com" })).toThrow(KustoConfigError);
    expect(() => createKustoEngine({ cluster: "not a url" })).toThrow(/is not a URL/);
    const cred: TokenCredential = { getToken: async () => ({ token: "t", expiresOnTimestamp: Date.now() + 3_600_000 }) };
    expect(() => createKustoEngine({ cluster: "http://localhost:8080", credential: cred })).toThrow(/bearer token over http/);
  }, 60_000);

  it("https: a bearer token for <cluster>/.default is sent (transport replaced by the recording, no network)", async () => {
    const scopes: string[] = [];
    const cred: TokenCredential = { getToken: async (s) => { scopes.push(...[s].flat()); return { token: "secret-token", expiresOnTimestamp: Date.now() + 3_600_000 }; } };
    const rec = recordings().find((x) => x.request.csl.includes("startofday"))!;
    let seen: PipelineRequest | undefined;
    const httpClient: HttpClient = { async sendRequest(request) { seen = request; return { request, status: 200, headers: createHttpHeaders({ "content-type": "application/json" }), bodyAsText: JSON.stringify(rec.response) }; } };
    const r = await createKustoEngine({ cluster: "https://help.kusto.windows.net/", database: "Samples", credential: cred, httpClient })(QUERY, { tables: { Events: ROWS }, schemas, now: NOW });
    expect(r.rows).toHaveLength(1);
    expect(seen!.url).toBe("https://help.kusto.windows.net/v2/rest/query");
    expect(seen!.headers.get("authorization")).toBe("Bearer secret-token");
    expect(JSON.parse(String(seen!.body)).db).toBe("Samples");
    expect(scopes).toEqual(["https://help.kusto.windows.net/.default"]);
  });
});
