// Faults, throttling, unreachable endpoints and bad credentials: deploy converges or fails clearly, and one
// broken workspace never stops the others.
import { writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startEmulator } from "../../src/emulator/index.js";
import { harness, rulePath, SUBS, workspacesYaml, type Harness } from "./harness.js";

let h: Harness | undefined;
afterEach(async () => { await h?.close(); h = undefined; });

/** A loopback port with nothing listening. */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

describe("deploy resilience", () => {
  it("20% injected faults (500, 503, resets, resets after the write) → converges to exactly the desired state, no duplicates", async () => {
    h = await harness("basic", { failRate: 0.2, seed: 7 });
    const names = ["a", "b", "c", "d"];
    h.workspaces(workspacesYaml(h.emu.url, names.map((n, i) => ({ name: n, sub: SUBS[i % 3] }))));
    const dep = await h.run("deploy");
    expect(dep.err).toBe("");
    expect(dep.exitCode).toBe(0);
    const faults = h.emu.stats().faults;
    expect(faults["500"] + faults["503"] + faults.reset + faults["reset-after-write"]).toBeGreaterThan(5);
    h.emu.configure({ failRate: 0 });
    const plan = await h.run("plan");
    for (const w of plan.plan!.workspaces) expect(w.changes.map((c) => c.action)).toEqual(["unchanged", "unchanged", "unchanged"]);
    const s = h.emu.stats().resources;
    expect(s).toMatchObject({ alertRules: 8, savedSearches: 4, metadata: 12 }); // 4 workspaces × (2 rules, 1 search), one metadata each
    expect(h.specViolations()).toEqual([]);
  });

  it("throttling: 429 with and without Retry-After is retried and the deploy completes", async () => {
    h = await harness("basic", { throttle: { writes: { burst: 3, refillPerSec: 50 }, omitRetryAfter: 0.5 } });
    h.workspaces(workspacesYaml(h.emu.url, [{ name: "t1" }, { name: "t2" }]));
    const dep = await h.run("deploy");
    expect(dep.exitCode).toBe(0);
    expect(h.emu.stats().throttled).toBeGreaterThan(0);
    expect(dep.results!.map((r) => r.created)).toEqual([3, 3]);
  });

  it("an unreachable endpoint and bad credentials fail clearly; the other workspaces are still deployed", async () => {
    h = await harness();
    const port = await closedPort();
    h.workspaces(`${workspacesYaml(h.emu.url, [{ name: "good" }])}  - name: down
    subscriptionId: ${SUBS[1]}
    resourceGroup: rg
    workspace: ws-down
    endpoint: http://127.0.0.1:${port}
    auth: none
  - name: badcred
    tenantId: ${SUBS[2]}
    subscriptionId: ${SUBS[2]}
    resourceGroup: rg
    workspace: ws-badcred
    endpoint: https://127.0.0.1:${port}
    auth: { type: workload-identity, clientId: app, tokenFilePath: /nonexistent/federated-token }
  - name: nosecret
    tenantId: ${SUBS[2]}
    subscriptionId: ${SUBS[2]}
    resourceGroup: rg
    workspace: ws-nosecret
    auth: { type: client-secret, clientId: app, clientSecretEnv: SCAC_TEST_SECRET_THAT_IS_NOT_SET }
`);
    const dep = await h.run("deploy");
    expect(dep.exitCode).toBe(1);
    expect(dep.results!.find((r) => r.name === "good")).toMatchObject({ created: 3, failed: 0 });
    expect(dep.err).toMatch(/deploy\/unreachable: workspace 'down': cannot list alert rules: GET http:\/\/127\.0\.0\.1:\d+\/subscriptions\/.*ECONNREFUSED/);
    expect(dep.err).toMatch(/deploy\/auth: workspace 'badcred': cannot list alert rules: authentication failed \(\w+\): .*federated-token/);
    expect(dep.err).toMatch(/deploy\/auth: workspace 'nosecret': auth client-secret: environment variable SCAC_TEST_SECRET_THAT_IS_NOT_SET is not set/);
    expect(dep.out).toMatch(/down: could not be planned/);
    expect(dep.out).toMatch(/Deploy finished with failures in 3 of 4 workspace\(s\)/);
    expect(dep.err).not.toMatch(/Bearer|authorization/i);
  });

  it("an invalid override leaves out only that item, is reported at its cause, and fails the run", async () => {
    h = await harness();
    h.workspaces(workspacesYaml(h.emu.url, [{ name: "t1", extra: "    overrides: { \"NRT sign-in from new country\": { suppressionDuration: 2d } }\n" }]));
    // 2d is outside PT5M..PT24H: scac reports it itself, before sending anything for that item.
    const plan = await h.run("plan");
    expect(plan.exitCode).toBe(1);
    expect(plan.err).toMatch(/deploy\/duration: workspace 't1': override 'NRT sign-in from new country': suppressionDuration P2D is outside PT5M\.\.P1D/);
    expect(plan.plan!.workspaces[0]!.changes.map((c) => c.id.slice(-4)).sort()).toEqual(["c001", "c003"]);
    const dep = await h.run("deploy");
    expect(dep.exitCode).toBe(1); // something the content asked for was not deployed
    expect(dep.results![0]).toMatchObject({ created: 2, failed: 0 });
  });

  it("a service rejection of one item is reported with ARM's status and message; the rest is deployed", async () => {
    h = await harness();
    writeFileSync(join(h.dir, "content/analytics/bad-column.yaml"), `id: 0b7ae2d4-1f3c-4c55-9a61-0e1f4ab6c0ff
name: Refers to a column the table does not have
severity: Low
kind: Scheduled
queryFrequency: 1h
queryPeriod: 1h
triggerOperator: gt
triggerThreshold: 0
query: SigninLogs | where NoSuchColumn == 1
`);
    h.workspaces(workspacesYaml(h.emu.url, [{ name: "t1" }]));
    const dep = await h.run("deploy");
    expect(dep.exitCode).toBe(1);
    expect(dep.results![0]).toMatchObject({ created: 3, failed: 1 });
    expect(dep.err).toMatch(/bad-column\.yaml: error deploy\/arm-400: t1: create analyticsRule 'Refers to a column the table does not have' \(0b7ae2d4-1f3c-4c55-9a61-0e1f4ab6c0ff\) failed: write: HTTP 400 \w+: .*NoSuchColumn/);
  });

  it("never attaches a bearer token to an http request", async () => {
    const { createArmClient } = await import("../../src/deploy/arm-client.js");
    const cred = { getToken: async () => ({ token: "secret-token", expiresOnTimestamp: Date.now() + 3_600_000 }) };
    expect(() => createArmClient("http://127.0.0.1:1", SUBS[0]!, cred)).toThrow(/bearer token over http/);
  });

  it("reads through ARM paging (nextLink) for many items", async () => {
    const emu = await startEmulator({ port: 0, throttle: false, pageSize: 2 });
    try {
      h = await harness();
      await h.emu.close();
      h.emu = emu;
      h.workspaces(workspacesYaml(emu.url, [{ name: "t1" }]));
      expect((await h.run("deploy")).exitCode).toBe(0);
      const plan = await h.run("plan");
      expect(plan.plan!.workspaces[0]!.changes.map((c) => c.action)).toEqual(["unchanged", "unchanged", "unchanged"]);
      expect(emu.read(rulePath(SUBS[0]!, "rg-t1", "ws-t1", "0b7ae2d4-1f3c-4c55-9a61-0e1f4ab6c002"))).toBeDefined();
    } finally {
      await emu.close().catch(() => undefined);
    }
  });
});
