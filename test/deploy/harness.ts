// Test harness: a real emulator (in-process, port 0) and a scratch repository (content + workspaces.yaml), with
// scac's real plan/deploy pipeline talking to it over HTTP through the Azure SDK. Every PUT body scac sends is
// also checked here against Microsoft's OpenAPI definitions.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startEmulator, type Emulator, type EmulatorOptions } from "../../src/emulator/index.js";
import { runPlanOrDeploy, type RunOptions, type RunResult } from "../../src/deploy/run.js";
import { specErrors } from "./arm-spec.js";

export const FIXTURES = fileURLToPath(new URL("../fixtures/deploy/", import.meta.url));
export const SUBS = ["11111111-1111-1111-1111-111111111111", "22222222-2222-2222-2222-222222222222", "33333333-3333-3333-3333-333333333333"];

export interface Sent {
  method: string;
  url: string;
  body?: unknown;
  status?: number;
}

export interface Harness {
  emu: Emulator;
  dir: string;
  sent: Sent[];
  /** Writes workspaces.yaml in the scratch repo. */
  workspaces(yaml: string): void;
  run(mode: "plan" | "deploy", args?: Partial<RunOptions>): Promise<RunResult & { out: string; err: string }>;
  /** Spec violations among every PUT body sent so far. */
  specViolations(): string[];
  close(): Promise<void>;
}

export async function harness(contentFixture = "basic", emuOpts: EmulatorOptions = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), "scac-deploy-"));
  cpSync(join(FIXTURES, contentFixture, "content"), join(dir, "content"), { recursive: true });
  const emu = await startEmulator({ port: 0, throttle: false, ...emuOpts });
  const sent: Sent[] = [];
  return {
    emu,
    dir,
    sent,
    workspaces: (yaml) => writeFileSync(join(dir, "workspaces.yaml"), yaml),
    async run(mode, args = {}) {
      let out = "", err = "";
      const r = await runPlanOrDeploy(mode, {
        workspacesFile: join(dir, "workspaces.yaml"), workspaces: [], prune: false, format: "text", detailedExitCode: false, verbose: false,
        client: {
          retry: { baseDelayMs: 2, maxDelayMs: 20, timeoutMs: 5000 },
          onAttempt: (a) => sent.push({ method: a.method, url: a.url, body: a.body, status: a.status }),
        },
        limiter: { limits: false },
        ...args,
      }, { stdout: (s) => { out += `${s}\n`; }, stderr: (s) => { err += `${s}\n`; } });
      return { ...r, out, err };
    },
    specViolations() {
      const errors: string[] = [];
      for (const s of sent) {
        if (s.method !== "PUT") continue;
        const kind = /\/alertRules\//i.test(s.url) ? "alertRule" : /\/metadata\//i.test(s.url) ? "metadata" : /\/savedSearches\//i.test(s.url) ? "savedSearch" : undefined;
        if (!kind) { errors.push(`unexpected PUT ${s.url}`); continue; }
        for (const e of specErrors(kind, s.body)) errors.push(`${s.url}: ${e}`);
      }
      return errors;
    },
    async close() {
      await emu.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A workspaces.yaml with the given targets on the emulator (auth none over loopback http). */
export function workspacesYaml(emuUrl: string, targets: { name: string; sub?: string; ws?: string; extra?: string }[]): string {
  return `workspaces:\n${targets.map((t) => `  - name: ${t.name}
    subscriptionId: ${t.sub ?? SUBS[0]}
    resourceGroup: rg-${t.name}
    workspace: ${t.ws ?? `ws-${t.name}`}
    endpoint: ${emuUrl}
    auth: none
${t.extra ?? ""}`).join("")}`;
}

export function rulePath(sub: string, rg: string, ws: string, id: string): string {
  return `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.OperationalInsights/workspaces/${ws}/providers/Microsoft.SecurityInsights/alertRules/${id}`;
}

export function searchPath(sub: string, rg: string, ws: string, id: string): string {
  return `/subscriptions/${sub}/resourcegroups/${rg}/providers/Microsoft.OperationalInsights/workspaces/${ws}/savedSearches/${id}`;
}
