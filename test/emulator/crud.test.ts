import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { SecurityInsights } from "@azure/arm-securityinsight";
import { startEmulator, type Emulator } from "../../src/emulator/index.js";
import { PREVIEW, RG, SUB, TEST_TABLES, WS, WS_PATH, client, metadataPath, raw, rulePath, savedSearchPath, scheduledRule } from "./helpers.js";

let emu: Emulator;
let si: SecurityInsights;
let typed: SecurityInsights; // typed operations at the preview api-version

beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
  si = client(emu.url);
  typed = client(emu.url, { apiVersion: PREVIEW });
});
afterAll(async () => { await emu.close(); });
beforeEach(() => {
  emu.reset();
  emu.configure({ failRate: 0, latencyMs: 0 });
  emu.setTables(WS_PATH, TEST_TABLES);
});

describe("alert rules through the real SDK pipeline", () => {
  it("creates (201), reads, updates (200) with a new etag, lists and deletes (200 then 204)", async () => {
    const put = await raw(si, emu.url, "PUT", rulePath("rule-1"), scheduledRule());
    expect(put.status).toBe(201);
    expect(put.headers["x-ms-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(put.headers["content-type"]).toMatch(/^application\/json/);
    expect(put.json.id).toBe(`${WS_PATH}/providers/Microsoft.SecurityInsights/alertRules/rule-1`);
    expect(put.json.name).toBe("rule-1");
    expect(put.json.type).toBe("Microsoft.SecurityInsights/alertRules");
    expect(put.json.etag).toMatch(/^".+"$/);
    expect(put.json.systemData.createdAt).toBe(put.json.systemData.lastModifiedAt);
    expect(Date.parse(put.json.properties.lastModifiedUtc)).toBeGreaterThan(Date.now() - 60_000);

    const get = await raw(si, emu.url, "GET", rulePath("rule-1"));
    expect(get.status).toBe(200);
    expect(get.json).toEqual(put.json);

    const upd = await raw(si, emu.url, "PUT", rulePath("rule-1"), { ...scheduledRule({ severity: "High" }), etag: put.json.etag });
    expect(upd.status).toBe(200);
    expect(upd.json.etag).not.toBe(put.json.etag);
    expect(upd.json.properties.severity).toBe("High");

    // The typed SDK list follows nextLink (api-version rewritten by the client's apiVersion option).
    const names: string[] = [];
    for await (const r of typed.alertRules.list(RG, WS)) names.push(r.name!);
    expect(names).toEqual(["rule-1"]);

    expect((await raw(si, emu.url, "DELETE", rulePath("rule-1"))).status).toBe(200);
    expect((await raw(si, emu.url, "DELETE", rulePath("rule-1"))).status).toBe(204);
    const gone = await raw(si, emu.url, "GET", rulePath("rule-1"));
    expect(gone.status).toBe(404);
    expect(gone.json.error.code).toBe("ResourceNotFound");
    expect(typeof gone.json.error.message).toBe("string");
  });

  it("maps 404 onto RestError for the typed SDK call", async () => {
    await expect(typed.alertRules.get(RG, WS, "missing")).rejects.toMatchObject({ statusCode: 404, code: "ResourceNotFound" });
  });

  it("pages alert rule lists with nextLink and the SDK iterator visits every rule once", async () => {
    for (let i = 0; i < 120; i++) emu.seed(rulePath(`r-${String(i).padStart(3, "0")}`), scheduledRule());
    const first = await raw(si, emu.url, "GET", `${WS_PATH}/providers/Microsoft.SecurityInsights/alertRules?api-version=${PREVIEW}`);
    expect(first.json.value).toHaveLength(50);
    expect(first.json.nextLink).toMatch(/(\$|%24)skipToken=/);
    const seen = new Set<string>();
    for await (const r of typed.alertRules.list(RG, WS)) seen.add(r.name!);
    expect(seen.size).toBe(120);
  });

  it("rejects a stale body etag with 409 and a stale If-Match with 412", async () => {
    const a = await raw(si, emu.url, "PUT", rulePath("r"), scheduledRule());
    await raw(si, emu.url, "PUT", rulePath("r"), { ...scheduledRule({ severity: "Low" }), etag: a.json.etag });
    const stale = await raw(si, emu.url, "PUT", rulePath("r"), { ...scheduledRule({ severity: "High" }), etag: a.json.etag });
    expect(stale.status).toBe(409);
    expect(stale.json.error.code).toBe("Conflict");
    const hdr = await raw(si, emu.url, "PUT", rulePath("r"), scheduledRule(), { "if-match": a.json.etag });
    expect(hdr.status).toBe(412);
    expect((await raw(si, emu.url, "GET", rulePath("r"))).json.properties.severity).toBe("Low");
    // Without an etag: last write wins.
    const lww = await raw(si, emu.url, "PUT", rulePath("r"), scheduledRule({ severity: "High" }));
    expect(lww.status).toBe(200);
    expect((await raw(si, emu.url, "DELETE", rulePath("r"), undefined, { "if-match": a.json.etag })).status).toBe(412);
    expect((await raw(si, emu.url, "DELETE", rulePath("r"), undefined, { "if-match": lww.json.etag })).status).toBe(200);
  });

  it("requires a known api-version", async () => {
    const missing = await raw(si, emu.url, "GET", `${WS_PATH}/providers/Microsoft.SecurityInsights/alertRules`);
    expect(missing.status).toBe(400);
    expect(missing.json.error.code).toBe("MissingApiVersionParameter");
    const bad = await raw(si, emu.url, "GET", rulePath("x", "2099-01-01"));
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe("InvalidApiVersionParameter");
    expect(bad.json.error.message).toContain("2025-07-01-preview");
  });

  it("treats path segments case-insensitively like ARM", async () => {
    await raw(si, emu.url, "PUT", rulePath("Rule-A"), scheduledRule());
    const lower = WS_PATH.toLowerCase();
    const r = await raw(si, emu.url, "GET", `${lower}/providers/microsoft.securityinsights/alertrules/rule-a?api-version=${PREVIEW}`);
    expect(r.status).toBe(200);
    expect(r.json.name).toBe("Rule-A");
  });
});

describe("metadata and saved searches", () => {
  const meta = (parentId: string) => ({
    properties: { parentId, kind: "AnalyticsRule", contentId: "rule-1", version: "1.0.0", source: { kind: "SourceRepository", name: "scac" } },
  });

  it("metadata: create/update/list with $filter/delete", async () => {
    const parent = `${WS_PATH}/providers/Microsoft.SecurityInsights/alertRules/rule-1`;
    const c = await raw(si, emu.url, "PUT", metadataPath("analyticsrule-rule-1"), meta(parent));
    expect(c.status).toBe(201);
    expect(c.json.type).toBe("Microsoft.SecurityInsights/metadata");
    await raw(si, emu.url, "PUT", metadataPath("other"), { properties: { parentId: parent, kind: "HuntingQuery" } });
    const u = await raw(si, emu.url, "PUT", metadataPath("analyticsrule-rule-1"), { ...meta(parent), etag: c.json.etag });
    expect(u.status).toBe(200);
    const filtered = await raw(si, emu.url, "GET",
      `${WS_PATH}/providers/Microsoft.SecurityInsights/metadata?api-version=${PREVIEW}&$filter=${encodeURIComponent("properties/source/kind eq 'SourceRepository'")}`);
    expect(filtered.json.value.map((m: { name: string }) => m.name)).toEqual(["analyticsrule-rule-1"]);
    expect((await raw(si, emu.url, "DELETE", metadataPath("other"))).status).toBe(200);
  });

  it("metadata list: $orderby, $top, $skip and nextLink paging; unsupported $filter is a 400", async () => {
    for (let i = 0; i < 60; i++) emu.seed(metadataPath(`m-${String(i).padStart(2, "0")}`), { properties: { parentId: `/x/${i}`, kind: "AnalyticsRule" } });
    const base = `${WS_PATH}/providers/Microsoft.SecurityInsights/metadata?api-version=${PREVIEW}`;
    const desc = await raw(si, emu.url, "GET", `${base}&$orderby=${encodeURIComponent("name desc")}&$top=3&$skip=1`);
    expect(desc.json.value.map((m: { name: string }) => m.name)).toEqual(["m-58", "m-57", "m-56"]);
    expect(desc.json.nextLink).toBeUndefined();
    const page1 = await raw(si, emu.url, "GET", base);
    expect(page1.json.value).toHaveLength(50);
    const page2 = await raw(si, emu.url, "GET", page1.json.nextLink);
    expect(page2.json.value.map((m: { name: string }) => m.name)).toEqual(Array.from({ length: 10 }, (_, i) => `m-${50 + i}`));
    const bad = await raw(si, emu.url, "GET", `${base}&$filter=${encodeURIComponent("startswith(name, 'm')")}`);
    expect(bad.status).toBe(400);
  });

  it("If-None-Match: * creates only", async () => {
    expect((await raw(si, emu.url, "PUT", rulePath("once"), scheduledRule(), { "if-none-match": "*" })).status).toBe(201);
    const again = await raw(si, emu.url, "PUT", rulePath("once"), scheduledRule(), { "if-none-match": "*" });
    expect(again.status).toBe(412);
    expect(again.json.error.code).toBe("PreconditionFailed");
  });

  it("saved searches: PUT is always 200, overwrite needs etag '*' or the current one, list has no nextLink", async () => {
    const body = { properties: { category: "Hunting Queries", displayName: "h1", query: "Heartbeat | take 1", version: 2,
      tags: [{ name: "tactics", value: "Execution" }] } };
    const c = await raw(si, emu.url, "PUT", savedSearchPath("h1"), body);
    expect(c.status).toBe(200);
    expect(c.json.etag).toMatch(/^W\/"datetime'.+'"$/);
    expect(c.json.id).toBe(`${WS_PATH}/savedSearches/h1`);
    const noEtag = await raw(si, emu.url, "PUT", savedSearchPath("h1"), body);
    expect(noEtag.status).toBe(409);
    const star = await raw(si, emu.url, "PUT", savedSearchPath("h1"), { ...body, etag: "*" });
    expect(star.status).toBe(200);
    const cur = await raw(si, emu.url, "PUT", savedSearchPath("h1"), { ...body, etag: star.json.etag });
    expect(cur.status).toBe(200);
    const list = await raw(si, emu.url, "GET", `${WS_PATH}/savedSearches?api-version=2020-08-01`);
    expect(list.json).toEqual({ value: [cur.json] });
    expect((await raw(si, emu.url, "DELETE", savedSearchPath("h1"))).status).toBe(200);
  });

  it("tables: list and get declared tables in the Log Analytics shape", async () => {
    const list = await raw(si, emu.url, "GET", `${WS_PATH}/tables?api-version=2022-10-01`);
    expect(list.status).toBe(200);
    const names = list.json.value.map((t: { name: string }) => t.name);
    expect(names).toEqual(["DeviceProcessEvents", "Heartbeat", "Web_CL"]);
    const dpe = list.json.value[0];
    expect(dpe.properties.schema.tableType).toBe("Microsoft");
    expect(dpe.properties.schema.standardColumns[0]).toEqual({ name: "TimeGenerated", type: "dateTime" });
    const custom = await raw(si, emu.url, "GET", `${WS_PATH}/tables/web_cl?api-version=2022-10-01`);
    expect(custom.json.properties.schema.tableType).toBe("CustomLog");
    expect(custom.json.properties.schema.columns).toContainEqual({ name: "Bytes_d", type: "real" });
    expect((await raw(si, emu.url, "GET", `${WS_PATH}/tables/Nope?api-version=2022-10-01`)).status).toBe(404);
  });
});

describe("control endpoints", () => {
  it("stats count ARM requests and writes by method, not control calls", async () => {
    emu.resetStats();
    await raw(si, emu.url, "PUT", rulePath("a"), scheduledRule());
    await raw(si, emu.url, "GET", rulePath("a"));
    await raw(si, emu.url, "DELETE", rulePath("a"));
    const res = await fetch(`${emu.url}/_emulator/stats`);
    const s = (await res.json()) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(s.requests).toBe(3);
    expect(s.writes).toEqual({ PUT: 1, DELETE: 1 });
    expect(s.applied).toEqual({ created: 1, updated: 0, deleted: 1 });
    expect(s.byStatus).toEqual({ 200: 2, 201: 1 });
  });

  it("seeds an unowned rule and simulates a portal edit over HTTP", async () => {
    const path = `${WS_PATH}/providers/Microsoft.SecurityInsights/alertRules/handmade`;
    const seeded = await fetch(`${emu.url}/_emulator/resources${path}`, { method: "PUT", body: JSON.stringify(scheduledRule()) });
    expect(seeded.status).toBe(200);
    const s1 = (await seeded.json()) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(s1.systemData.createdByType).toBe("User");
    const edited = await fetch(`${emu.url}/_emulator/resources${path}`, { method: "PATCH", body: JSON.stringify({ properties: { enabled: false } }) });
    const s2 = (await edited.json()) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(s2.etag).not.toBe(s1.etag);
    expect(s2.properties.enabled).toBe(false);
    expect(s2.properties.query).toBe(s1.properties.query);
    const viaArm = await raw(si, emu.url, "GET", rulePath("handmade"));
    expect(viaArm.json.properties.enabled).toBe(false);
    expect(emu.stats().writes).toEqual({ PUT: 0, DELETE: 0 });
    void SUB;
  });

  it("declares a workspace's tables over HTTP; the KQL check and the tables API follow them", async () => {
    const wsPath = WS_PATH.replace("ws-contoso", "ws-fabrikam");
    const put = await fetch(`${emu.url}/_emulator/workspaces${wsPath}/tables`, {
      method: "PUT", body: JSON.stringify([{ name: "Fab_CL", columns: [{ name: "TimeGenerated", type: "dateTime" }, { name: "Host_s", type: "string" }] }]),
    });
    expect(put.status).toBe(200);
    const tables = await raw(si, emu.url, "GET", `${wsPath}/tables?api-version=2022-10-01`);
    expect(tables.json.value.map((t: { name: string }) => t.name)).toEqual(["Fab_CL"]);
    const ok = await raw(si, emu.url, "PUT", rulePath("f", PREVIEW, wsPath),
      scheduledRule({ query: "Fab_CL | project TimeGenerated, DeviceName = Host_s" }));
    expect(ok.status).toBe(201);
    const bad = await raw(si, emu.url, "PUT", rulePath("g", PREVIEW, wsPath), scheduledRule()); // DeviceProcessEvents not declared here
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toMatch(/One of the tables does not exist/);
  });

  it("changes realism settings at run time through /_emulator/config", async () => {
    const res = await fetch(`${emu.url}/_emulator/config`, { method: "PUT", body: JSON.stringify({ failRate: 1, faultKinds: ["503"] }) });
    expect(((await res.json()) as { failRate: number }).failRate).toBe(1);
    const r = await raw(si, emu.url, "GET", rulePath("x"));
    expect(r.status).toBe(503);
    expect(r.json.error.code).toBe("ServiceUnavailable");
    await fetch(`${emu.url}/_emulator/config`, { method: "PUT", body: JSON.stringify({ failRate: 0 }) });
    expect((await raw(si, emu.url, "GET", rulePath("x"))).status).toBe(404);
  });

  it("answers unknown control endpoints and bad seed paths with ARM-shaped errors", async () => {
    const r = await fetch(`${emu.url}/_emulator/nope`);
    expect(r.status).toBe(404);
    const bad = await fetch(`${emu.url}/_emulator/resources/not/an/arm/path`, { method: "PUT", body: "{}" });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/not the ARM path/);
  });

  it("auto-disables rules whose tables disappeared, like Sentinel after a permanent failure", async () => {
    const body = scheduledRule({ query: "Web_CL | project TimeGenerated, DeviceName = Url_s" });
    await raw(si, emu.url, "PUT", rulePath("web"), body);
    await raw(si, emu.url, "PUT", rulePath("dpe"), scheduledRule());
    expect(emu.runScheduledRules().disabled).toEqual([]);
    emu.setTables(WS_PATH, TEST_TABLES.filter((t) => t.name !== "Web_CL"));
    const res = await fetch(`${emu.url}/_emulator/run-rules`, { method: "POST" });
    const { disabled } = (await res.json()) as { disabled: string[] };
    expect(disabled).toEqual([`${WS_PATH}/providers/Microsoft.SecurityInsights/alertRules/web`]);
    const web = (await raw(si, emu.url, "GET", rulePath("web"))).json;
    expect(web.properties.enabled).toBe(false);
    expect(web.properties.displayName).toBe("AUTO DISABLED Suspicious process");
    expect(web.properties.description).toMatch(/One of the tables does not exist/);
    expect(web.systemData.lastModifiedBy).toBe("Microsoft Sentinel");
    expect((await raw(si, emu.url, "GET", rulePath("dpe"))).json.properties.enabled).toBe(true);
    expect(emu.runScheduledRules().disabled).toEqual([]); // already disabled
  });
});

