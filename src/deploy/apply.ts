// Executes a plan's changes — nothing else. Workspaces run side by side; within a workspace a few changes at
// a time; the ARM client paces requests per subscription. A failed change or workspace never stops the others:
// each failure becomes a Diagnostic in that workspace's result.
//
// One item = resource write, then metadata write (ownership record with the hash of what the service returned).
// If the metadata write fails, the next plan sees an identical unowned resource and only records ownership.
// Etag conflicts (409/412) — a concurrent edit, or our own retried PUT that already landed — are resolved by
// re-reading: if the live body already equals the desired one it is done, otherwise PUT again with the new etag.
import type { Diagnostic } from "../diagnostics.js";
import type { ArmClient, ArmResponse } from "./arm-client.js";
import { ArmTransportError } from "./arm-client.js";
import { metadataBody } from "./desired.js";
import { hashNormalized, normalizeBody } from "./normalize.js";
import type { Change, Plan } from "./plan.js";
import type { WorkspaceTarget } from "./workspaces.js";

export interface WorkspaceResult {
  name: string;
  created: number;
  updated: number;
  /** Drift corrected. */
  corrected: number;
  deleted: number;
  unchanged: number;
  failed: number;
  diagnostics: Diagnostic[];
}

export interface ApplyOptions {
  /** Changes in flight per workspace (the client also caps requests per subscription). */
  concurrency?: number;
  onProgress?: (p: { done: number; total: number; failed: number }) => void;
}

const MAX_CONFLICT_ROUNDS = 4;

class ChangeError extends Error {
  constructor(message: string, readonly rule: string) {
    super(message);
  }
}

export async function applyPlan(
  plan: Plan,
  targets: ReadonlyMap<string, WorkspaceTarget>,
  clientFor: (t: WorkspaceTarget) => ArmClient,
  opts: ApplyOptions = {},
): Promise<WorkspaceResult[]> {
  const total = plan.workspaces.reduce((n, w) => n + w.changes.filter((c) => c.action !== "unchanged").length, 0);
  let done = 0;
  let failedTotal = 0;
  return Promise.all(plan.workspaces.map(async (wp) => {
    const res: WorkspaceResult = { name: wp.name, created: 0, updated: 0, corrected: 0, deleted: 0, unchanged: 0, failed: 0, diagnostics: [] };
    if (!wp.complete) {
      res.failed++;
      return res;
    }
    const target = targets.get(wp.name)!;
    const client = clientFor(target);
    const todo = wp.changes.filter((c) => c.action !== "unchanged");
    res.unchanged = wp.changes.length - todo.length;
    let next = 0;
    const worker = async () => {
      while (next < todo.length) {
        const c = todo[next++]!;
        try {
          if (c.blocked) throw new ChangeError(`not sent: ${c.blocked}`, "deploy/table-missing");
          await applyChange(client, target, c);
          if (c.action === "create") res.created++;
          else if (c.action === "delete") res.deleted++;
          else if (c.action === "drift") res.corrected++;
          else res.updated++;
        } catch (e) {
          res.failed++;
          failedTotal++;
          const rule = e instanceof ChangeError ? e.rule : e instanceof ArmTransportError ? (e.auth ? "deploy/auth" : "deploy/unreachable") : "deploy/internal";
          res.diagnostics.push({ file: c.file ?? "", line: 0, column: 0, rule, severity: "error",
            message: `${wp.name}: ${c.action} ${c.kind} '${c.name}' (${c.id}) failed: ${(e as Error).message}` });
        }
        done++;
        opts.onProgress?.({ done, total, failed: failedTotal });
      }
    };
    await Promise.all(Array.from({ length: Math.min(opts.concurrency ?? 8, todo.length) }, worker));
    return res;
  }));
}

function fail(what: string, r: ArmResponse): never {
  throw new ChangeError(`${what}: HTTP ${r.status} ${r.error?.code ?? ""}: ${r.error?.message ?? ""}`.trim(), `deploy/arm-${r.status}`);
}

async function applyChange(client: ArmClient, target: WorkspaceTarget, c: Change): Promise<void> {
  if (c.action === "delete") {
    if (c.writeResource) await del(client, c.path, c.apiVersion, "delete resource");
    await del(client, c.metadataPath, c.metadataApiVersion, "delete metadata");
    return;
  }
  const r = c.desired!;
  let liveHash = c.liveHash;
  let liveEtag = c.etag;
  if (c.replace) await del(client, c.path, c.apiVersion, "delete before kind change");
  if (c.writeResource) {
    const live = await putWithEtag(client, c.path, c.apiVersion, r.body, c.replace ? undefined : c.etag, (b) => hashNormalized(normalizeBody(r.kind, b)) === r.hash, "write");
    liveHash = hashNormalized(normalizeBody(r.kind, live));
    liveEtag = typeof live.etag === "string" ? live.etag : undefined;
  }
  if (c.writeMetadata || c.writeResource) {
    await putWithEtag(client, c.metadataPath, c.metadataApiVersion, metadataBody(r, target, liveHash!, liveEtag), c.metadataEtag, undefined, "write metadata");
  }
}

async function del(client: ArmClient, path: string, apiVersion: string, what: string): Promise<void> {
  const res = await client.request("DELETE", path, apiVersion);
  if (res.status >= 300 && res.status !== 404) fail(what, res);
}

/**
 * PUT with the etag in the body (ARM has no If-Match here). On 409/412: re-GET; done if `satisfied(live)`,
 * create if gone, else retry with the fresh etag. Returns the body the service holds afterwards.
 */
async function putWithEtag(
  client: ArmClient,
  path: string,
  apiVersion: string,
  body: Record<string, unknown>,
  etag: string | undefined,
  satisfied: ((live: Record<string, unknown>) => boolean) | undefined,
  what: string,
): Promise<Record<string, unknown>> {
  let tag = etag;
  for (let round = 0; ; round++) {
    const res = await client.request("PUT", path, apiVersion, tag ? { ...body, etag: tag } : body);
    if (res.status === 200 || res.status === 201) {
      if (res.body && typeof res.body === "object" && "properties" in (res.body as object)) return res.body as Record<string, unknown>;
      const g = await client.request("GET", path, apiVersion); // some services answer without a body
      if (g.status !== 200) fail(`${what}: read back`, g);
      return g.body as Record<string, unknown>;
    }
    if ((res.status !== 409 && res.status !== 412) || round >= MAX_CONFLICT_ROUNDS) fail(what, res);
    const g = await client.request("GET", path, apiVersion);
    if (g.status === 404) { tag = undefined; continue; }
    if (g.status !== 200) fail(`${what}: re-read after conflict`, g);
    const live = g.body as Record<string, unknown>;
    if (satisfied?.(live)) return live;
    tag = typeof live.etag === "string" ? live.etag : "*";
  }
}
