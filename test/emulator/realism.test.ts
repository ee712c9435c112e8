import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../../src/emulator/index.js";
import { emptySchemaSet } from "../../src/schemas/model.js";
import { loadSchemas } from "../../src/schemas/loader.js";
import { SUB, TEST_TABLES, WS_PATH, client, raw, rulePath, scheduledRule } from "./helpers.js";

const started: Emulator[] = [];
async function emulator(opts: Parameters<typeof startEmulator>[0] = {}): Promise<Emulator> {
  const e = await startEmulator({ port: 0, ...opts });
  e.setTables(WS_PATH, TEST_TABLES);
  e.resetStats();
  started.push(e);
  return e;
}
afterEach(async () => {
  while (started.length) await started.pop()!.close();
});

const OTHER_SUB_WS = WS_PATH.replace(SUB, "00000000-0000-0000-0000-000000000002");

describe("ARM token-bucket throttling", () => {
  it("answers 429 with Retry-After once a subscription's write bucket is empty; other subscriptions are unaffected", async () => {
    const emu = await emulator({ throttle: { writes: { burst: 3, refillPerSec: 0.01 } } });
    const si = client(emu.url);
    const remaining: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await raw(si, emu.url, "PUT", rulePath(`r${i}`), scheduledRule());
      expect(r.status).toBe(201);
      remaining.push(r.headers["x-ms-ratelimit-remaining-subscription-writes"]!);
    }
    expect(remaining).toEqual(["2", "1", "0"]);
    const throttled = await raw(si, emu.url, "PUT", rulePath("r3"), scheduledRule());
    expect(throttled.status).toBe(429);
    expect(throttled.json.error.code).toBe("SubscriptionRequestsThrottled");
    expect(Number(throttled.headers["retry-after"])).toBeGreaterThanOrEqual(1);
    // Reads have their own bucket; another subscription has its own buckets.
    expect((await raw(si, emu.url, "GET", rulePath("r0"))).status).toBe(200);
    emu.setTables(OTHER_SUB_WS, TEST_TABLES);
    expect((await raw(si, emu.url, "PUT", rulePath("r0", undefined, OTHER_SUB_WS), scheduledRule())).status).toBe(201);
    expect(emu.stats().throttled).toBe(1);
    expect(emu.stats().resources.alertRules).toBe(4);
  });

  it("can omit Retry-After (the SDK's default policy then does not retry)", async () => {
    const emu = await emulator({ throttle: { writes: { burst: 1, refillPerSec: 0.1 }, omitRetryAfter: 1 } });
    const si = client(emu.url, { maxRetries: 3 });
    await raw(si, emu.url, "PUT", rulePath("a"), scheduledRule());
    const r = await raw(si, emu.url, "PUT", rulePath("b"), scheduledRule());
    expect(r.status).toBe(429);
    expect(r.headers["retry-after"]).toBeUndefined();
    expect(emu.stats().writes.PUT).toBe(2); // not retried
  });

  it("the SDK's retry policy honours Retry-After and gets through", async () => {
    const emu = await emulator({ throttle: { writes: { burst: 2, refillPerSec: 5 } } });
    const si = client(emu.url, { maxRetries: 3 });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await raw(si, emu.url, "PUT", rulePath(`r${i}`), scheduledRule())).status);
    expect(statuses).toEqual([201, 201, 201, 201]);
    expect(emu.stats().throttled).toBeGreaterThan(0);
    expect(emu.stats().writes.PUT).toBe(4 + emu.stats().throttled);
  });
});

describe("fault injection", () => {
  it("is deterministic under a seed", async () => {
    const run = async (seed: number) => {
      const emu = await emulator({ failRate: 0.4, seed, faultKinds: ["500", "503", "reset"] });
      const si = client(emu.url, { maxRetries: 0 });
      const out: string[] = [];
      for (let i = 0; i < 25; i++) {
        try {
          out.push(String((await raw(si, emu.url, "GET", rulePath("x"))).status));
        } catch (e) {
          out.push((e as { code?: string }).code ?? "error");
        }
      }
      return out;
    };
    const a = await run(42);
    expect(await run(42)).toEqual(a);
    expect(a).toContain("404");
    expect(a.some((s) => s === "500" || s === "503")).toBe(true);
    expect(a.some((s) => !/^\d+$/.test(s))).toBe(true); // a connection reset surfaced as an error
    expect(await run(7)).not.toEqual(a);
  });

  it("with 30% faults (including resets after a committed write) the SDK retries converge to exactly the desired state", async () => {
    const emu = await emulator({ failRate: 0.3, seed: 1 });
    const si = client(emu.url, { maxRetries: 8 });
    for (let i = 0; i < 20; i++) {
      const r = await raw(si, emu.url, "PUT", rulePath(`rule-${i}`), scheduledRule({ displayName: `rule ${i}` }));
      expect([200, 201]).toContain(r.status);
    }
    const s = emu.stats();
    expect(s.resources.alertRules).toBe(20);
    expect(Object.values(s.faults).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect(s.writes.PUT).toBeGreaterThan(20);
    const names = [...emu.store.get({ subscriptionId: SUB, resourceGroup: "rg-soc", workspace: "ws-contoso" })!.alertRules.values()].map((r) => r.properties);
    expect(new Set(names.map((p) => (p as { displayName: string }).displayName)).size).toBe(20);
  });
});

describe("persistence, latency, workspaces, auth", () => {
  it("persists state atomically and reloads it on start", async () => {
    const dir = mkdtempSync(join(tmpdir(), "scac-emu-"));
    const file = join(dir, "state.json");
    const a = await startEmulator({ port: 0, state: file });
    a.setTables(WS_PATH, TEST_TABLES);
    const put = await raw(client(a.url), a.url, "PUT", rulePath("kept"), scheduledRule());
    await a.close();
    expect(readdirSync(dir)).toEqual(["state.json"]); // no temp file left behind
    expect(JSON.parse(readFileSync(file, "utf8")).version).toBe(1);
    const b = await emulator({ state: file });
    const get = await raw(client(b.url), b.url, "GET", rulePath("kept"));
    expect(get.status).toBe(200);
    expect(get.json).toEqual(put.json);
    expect(b.store.get({ subscriptionId: SUB, resourceGroup: "rg-soc", workspace: "ws-contoso" })!.tables).toHaveLength(TEST_TABLES.length);
  });

  it("adds the configured latency to every ARM response", async () => {
    const emu = await emulator({ latencyMs: 120 });
    const t0 = Date.now();
    await raw(client(emu.url), emu.url, "GET", rulePath("x"));
    expect(Date.now() - t0).toBeGreaterThanOrEqual(110);
  });

  it("with autoCreateWorkspaces off, unknown workspaces are 404", async () => {
    const emu = await emulator({ autoCreateWorkspaces: false });
    const si = client(emu.url);
    const missing = await raw(si, emu.url, "GET", rulePath("x", undefined, OTHER_SUB_WS));
    expect(missing.status).toBe(404);
    expect(missing.json.error.message).toMatch(/workspaces\/ws-contoso' under resource group 'rg-soc' was not found/);
    expect((await raw(si, emu.url, "PUT", rulePath("x"), scheduledRule())).status).toBe(201); // declared by setTables
  });

  it("checks bearer tokens when asked to", async () => {
    const emu = await emulator({ acceptTokens: ["good"] });
    const r = await raw(client(emu.url), emu.url, "GET", rulePath("x")); // the helper sends "Bearer fake"
    expect(r.status).toBe(401);
    expect(r.json.error.code).toBe("InvalidAuthenticationToken");
  });

  it("declared workspace functions are usable in rules and listed as read-only saved searches with functionAlias", async () => {
    const schemas = emptySchemaSet();
    schemas.tables.set("Syslog", { name: "Syslog", columns: [{ name: "TimeGenerated", type: "datetime" }, { name: "Computer", type: "string" }] });
    schemas.functions.set("ASimAuth", { name: "ASimAuth", parameters: "(starttime:datetime=datetime(null))", body: "{ Syslog | project TimeGenerated, DeviceName = Computer }" });
    const emu = await emulator({ schemas });
    emu.setTables(WS_PATH, undefined); // back to the default set
    const si = client(emu.url);
    const list = await raw(si, emu.url, "GET", `${WS_PATH}/savedSearches?api-version=2020-08-01`);
    expect(list.json.value).toHaveLength(1);
    expect(list.json.value[0].properties).toMatchObject({ functionAlias: "ASimAuth", functionParameters: "starttime:datetime=datetime(null)", query: "Syslog | project TimeGenerated, DeviceName = Computer" });
    const rule = await raw(si, emu.url, "PUT", rulePath("fn"), scheduledRule({ query: "ASimAuth() | where DeviceName != ''" }));
    expect(rule.status, JSON.stringify(rule.json)).toBe(201);
  });

  it("serves declared watchlists (read-only) with their columns as item keys", async () => {
    const { schemas } = await loadSchemas([]);
    schemas.watchlists.set("HighValueAssets", { alias: "HighValueAssets", columns: [{ name: "Hostname", type: "string" }, { name: "Owner", type: "string" }] });
    const emu = await emulator({ schemas });
    emu.setTables(WS_PATH, undefined);
    const si = client(emu.url);
    const base = `${WS_PATH}/providers/Microsoft.SecurityInsights/watchlists`;
    const list = await raw(si, emu.url, "GET", `${base}?api-version=2025-09-01`);
    expect(list.json.value.map((w: { name: string }) => w.name)).toEqual(["HighValueAssets"]);
    expect(list.json.value[0].properties).toMatchObject({ watchlistAlias: "HighValueAssets", itemsSearchKey: "Hostname" });
    const items = await raw(si, emu.url, "GET", `${base}/highvalueassets/watchlistItems?api-version=2025-09-01`);
    expect(Object.keys(items.json.value[0].properties.itemsKeyValue)).toEqual(["Hostname", "Owner"]);
    expect((await raw(si, emu.url, "GET", `${base}/Nope?api-version=2025-09-01`)).status).toBe(404);
    expect((await raw(si, emu.url, "PUT", `${base}/X?api-version=2025-09-01`, { properties: {} })).status).toBe(405);
  });

  it("refuses a non-loopback host unless forced", async () => {
    await expect(startEmulator({ host: "0.0.0.0" })).rejects.toThrow(/non-loopback/);
  });
});

describe("scac emulator command", () => {
  it("prints its URL once listening, serves requests and stops cleanly on SIGTERM, saving state", async () => {
    const dir = mkdtempSync(join(tmpdir(), "scac-emu-cli-"));
    const file = join(dir, "s.json");
    const repo = new URL("../../", import.meta.url);
    const child = spawn(process.execPath, ["--import", "tsx", "src/cli.ts", "emulator", "--port", "0", "--state", file, "--no-throttle"],
      { cwd: repo, stdio: ["ignore", "pipe", "pipe"] });
    const url = await new Promise<string>((resolve, reject) => {
      let out = "";
      const timer = setTimeout(() => reject(new Error(`no URL printed: ${out}`)), 30_000);
      child.stdout.on("data", (d) => {
        out += String(d);
        const m = /^scac emulator listening on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(out);
        if (m) { clearTimeout(timer); resolve(m[1]!); }
      });
      child.on("exit", (code) => reject(new Error(`exited ${code}: ${out}`)));
    });
    await fetch(`${url}/_emulator/resources${WS_PATH}/providers/Microsoft.SecurityInsights/alertRules/seeded`,
      { method: "PUT", body: JSON.stringify(scheduledRule()) });
    const stats = (await (await fetch(`${url}/_emulator/stats`)).json()) as { requests: number; resources: { alertRules: number } };
    expect(stats.resources.alertRules).toBe(1);
    const code = await new Promise<number | null>((resolve) => { child.on("exit", resolve); child.kill("SIGTERM"); });
    expect(code).toBe(0);
    expect(existsSync(file)).toBe(true);
    expect(JSON.parse(readFileSync(file, "utf8")).workspaces[0].alertRules[0].name).toBe("seeded");
  });

  it("--tables loads schema directories as every workspace's default tables", async () => {
    const dir = mkdtempSync(join(tmpdir(), "scac-emu-schemas-"));
    writeFileSync(join(dir, "custom.yaml"), "tables:\n  - name: Firewall_CL\n    columns:\n      TimeGenerated: datetime\n      SrcIp_s: string\n");
    const repo = new URL("../../", import.meta.url);
    const child = spawn(process.execPath, ["--import", "tsx", "src/cli.ts", "emulator", "--port", "0", "--tables", dir],
      { cwd: repo, stdio: ["ignore", "pipe", "pipe"] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = "";
        const timer = setTimeout(() => reject(new Error(`no URL printed: ${out}`)), 30_000);
        child.stdout.on("data", (d) => {
          out += String(d);
          const m = /listening on (\S+)/.exec(out);
          if (m) { clearTimeout(timer); resolve(m[1]!); }
        });
      });
      const res = await fetch(`${url}${WS_PATH}/tables/Firewall_CL?api-version=2022-10-01`);
      expect(res.status).toBe(200);
      const t = (await res.json()) as { properties: { schema: { columns: { name: string }[] } } };
      expect(t.properties.schema.columns.map((c) => c.name)).toEqual(["TimeGenerated", "SrcIp_s"]);
      // The built-in tables stay (data/tables.json).
      const all = (await (await fetch(`${url}${WS_PATH}/tables?api-version=2022-10-01`)).json()) as { value: unknown[] };
      expect(all.value.length).toBeGreaterThan(1);
    } finally {
      await new Promise((resolve) => { child.on("exit", resolve); child.kill("SIGTERM"); });
    }
  });

  it("rejects bad flags with usage and exit code 2", async () => {
    const repo = new URL("../../", import.meta.url);
    const child = spawn(process.execPath, ["--import", "tsx", "src/cli.ts", "emulator", "--fail-rate", "2"], { cwd: repo, stdio: ["ignore", "pipe", "pipe"] });
    let err = "";
    child.stderr.on("data", (d) => { err += String(d); });
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(code).toBe(2);
    expect(err).toMatch(/--fail-rate must be a number in 0\.\.1/);
  });
});
