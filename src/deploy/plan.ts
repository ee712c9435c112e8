// The plan is data: per workspace, a closed set of actions on content items, computed by a pure function from
// the desired state and the actual state. Apply executes exactly these changes; every output format renders
// this same value.
//
// Ownership and drift: scac's metadata resource for an item records two hashes — the desired body scac sent
// and the body the service held right after (server defaults included). Then:
//   live hash ≠ recorded live hash        → drift (changed outside scac: portal edit, auto-disable, …)
//   desired hash ≠ recorded desired hash  → update (the content, a parameter or an override changed)
//   neither                               → unchanged (no write)
// Items without scac metadata are never deleted; an existing unowned resource with the same id is adopted
// (updated and marked) only because the content claims that id.
import type { Diagnostic } from "../diagnostics.js";
import type { ActualState, LiveResource } from "./actual.js";
import { resourceKey } from "./actual.js";
import { alertRulesPath, metadataCollectionPath, metadataName, sameArmId, savedSearchesPath } from "./arm-paths.js";
import { parseOwnership, type DesiredResource, type OwnershipRecord } from "./desired.js";
import { diffNormalized, hashNormalized, normalizeBody, type FieldDiff, type Json, type ResourceKind } from "./normalize.js";
import { missingTables } from "./preflight.js";
import type { WorkspaceTarget } from "./workspaces.js";

export type Action = "create" | "update" | "delete" | "drift" | "unchanged";
export const ACTIONS: readonly Action[] = ["create", "update", "drift", "delete", "unchanged"];

export interface Change {
  action: Action;
  kind: ResourceKind;
  id: string;
  name: string;
  file?: string;
  /** For people: why this action. */
  reason?: string;
  /** update/drift: what differs, live (before) → desired (after). */
  diff?: FieldDiff[];
  /** Pre-flight failure: the change is not sent. */
  blocked?: string;
  // ---- executor inputs (not rendered) ----
  path: string;
  apiVersion: string;
  desired?: DesiredResource;
  /** Live etag, sent back in the body on update (ARM's optimistic concurrency). */
  etag?: string;
  metadataPath: string;
  metadataApiVersion: string;
  metadataEtag?: string;
  writeResource: boolean;
  writeMetadata: boolean;
  /** Kind changed (Scheduled ↔ NRT): delete then create. */
  replace?: boolean;
  /** Hash of the live body as read (used for the ownership record when the resource itself is not written). */
  liveHash?: string;
}

export interface WorkspacePlan {
  name: string;
  /** False when the actual state could not be read: no changes are listed and the workspace counts as failed. */
  complete: boolean;
  changes: Change[];
  diagnostics: Diagnostic[];
}

export interface Plan {
  formatVersion: 1;
  prune: boolean;
  workspaces: WorkspacePlan[];
}

export interface PlanOptions {
  prune: boolean;
  /** Content ids (lower case) that are selected but could not be built: their deployed copies are kept. */
  keep?: ReadonlySet<string>;
}

export function planWorkspace(target: WorkspaceTarget, desired: readonly DesiredResource[], actual: ActualState, opts: PlanOptions): { changes: Change[]; diagnostics: Diagnostic[] } {
  const changes: Change[] = [];
  const diagnostics: Diagnostic[] = [];
  const desiredKeys = new Set<string>();
  for (const r of desired) {
    desiredKeys.add(resourceKey(r.kind, r.id));
    const live = actual.resources.get(resourceKey(r.kind, r.id));
    const meta = actual.metadata.get(metadataName(r.kind, r.id));
    const own = meta ? parseOwnership((meta.body.properties as Record<string, unknown> | undefined)?.customVersion) : undefined;
    const base: Change = {
      action: "unchanged", kind: r.kind, id: r.id, name: r.displayName, file: r.file,
      path: r.path, apiVersion: r.apiVersion, desired: r, etag: live?.etag,
      metadataPath: r.metadataPath, metadataApiVersion: r.metadataApiVersion, metadataEtag: meta?.etag,
      writeResource: false, writeMetadata: false,
    };
    const change = decide(base, r, live, own, meta?.body);
    if (change.action !== "unchanged" && change.writeResource && actual.tables) {
      const missing = missingTables(String(r.body.properties.query ?? ""), actual.tables, actual.functions);
      if (missing.length) {
        change.blocked = `table${missing.length > 1 ? "s" : ""} ${missing.join(", ")} not found in workspace ${target.workspace}`;
        diagnostics.push({ file: r.file, line: 0, column: 0, rule: "deploy/table-missing", severity: "error",
          message: `${target.name}: ${r.displayName}: ${change.blocked} (the service would reject the ${r.kind === "analyticsRule" ? "rule" : "query"}; enable the data connector or create the table first)` });
      }
    }
    changes.push(change);
  }

  // Owned items no longer desired here.
  const orphans: Change[] = [];
  for (const m of actual.metadata.values()) {
    const props = (m.body.properties ?? {}) as Record<string, unknown>;
    const kind: ResourceKind | undefined = props.kind === "AnalyticsRule" ? "analyticsRule" : props.kind === "HuntingQuery" ? "huntingQuery" : undefined;
    const id = String(props.contentId ?? "");
    if (!kind || !id || desiredKeys.has(resourceKey(kind, id)) || opts.keep?.has(id.toLowerCase())) continue;
    const path = `${kind === "analyticsRule" ? alertRulesPath(target) : savedSearchesPath(target)}/${encodeURIComponent(id)}`;
    const live = actual.resources.get(resourceKey(kind, id));
    const parentOk = typeof props.parentId === "string" && sameArmId(props.parentId, path);
    const name = String((live?.body.properties as Record<string, unknown> | undefined)?.displayName ?? id);
    orphans.push({
      action: "delete", kind, id, name, reason: live ? (parentOk ? "no longer in the content selected for this workspace" : "metadata points elsewhere; only the metadata is removed") : "resource already gone; removing its metadata",
      path, apiVersion: kind === "analyticsRule" ? target.apiVersions.alertRules : target.apiVersions.savedSearches,
      etag: live?.etag, metadataPath: `${metadataCollectionPath(target)}/${encodeURIComponent(m.name)}`, metadataApiVersion: target.apiVersions.metadata, metadataEtag: m.etag,
      writeResource: !!live && parentOk, writeMetadata: true,
    });
  }
  if (opts.prune) changes.push(...orphans);
  else if (orphans.length) {
    diagnostics.push({ file: "", line: 0, column: 0, rule: "deploy/prune-candidates", severity: "info",
      message: `${target.name}: ${orphans.length} item(s) deployed by scac are no longer selected (${orphans.map((o) => o.id).join(", ")}); run with --prune to delete them` });
  }
  // Plain code-unit order (localeCompare is slow over thousands of items and varies by locale).
  const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  changes.sort((a, b) => ACTIONS.indexOf(a.action) - ACTIONS.indexOf(b.action) || cmp(a.kind, b.kind) || cmp(a.name, b.name) || cmp(a.id, b.id));
  return { changes, diagnostics };
}

function decide(
  c: Change,
  r: DesiredResource,
  live: LiveResource | undefined,
  own: OwnershipRecord | undefined,
  meta: Record<string, unknown> | undefined,
): Change {
  if (!live) {
    return { ...c, action: "create", writeResource: true, writeMetadata: true, reason: own ? "deleted outside scac; recreating" : undefined };
  }
  // Fast path: the etag recorded at deploy time still matches, so the body is what scac left there.
  let liveNorm: Record<string, Json> | undefined;
  const norm = () => (liveNorm ??= normalizeBody(r.kind, live.body));
  const liveHash = own?.etag && live.etag === own.etag ? own.liveHash : hashNormalized(norm());
  c = { ...c, liveHash };
  // The desired side is normalised only when a diff is needed (not on the common no-change path).
  const diff = () => withBy(diffNormalized(norm(), normalizeBody(r.kind, r.body)), r.by);
  const replace = r.kind === "analyticsRule" && typeof live.body.kind === "string" && live.body.kind !== r.body.kind;
  if (!own) {
    const d = diff();
    return {
      ...c, action: "update", diff: d, writeResource: d.length > 0, writeMetadata: true, replace,
      reason: d.length ? "exists but was not deployed by scac; adopting it" : "identical resource not deployed by scac; recording ownership",
    };
  }
  if (liveHash !== own.liveHash) {
    const d = diff();
    if (d.length === 0) return { ...c, action: "update", writeMetadata: true, reason: "changed outside scac back to the desired state; refreshing the ownership record" };
    return { ...c, action: "drift", diff: d, writeResource: true, writeMetadata: true, replace, reason: "changed outside scac since the last deploy" };
  }
  if (r.hash !== own.desiredHash) {
    const d = diff();
    return d.length
      ? { ...c, action: "update", diff: d, writeResource: true, writeMetadata: true, replace }
      : { ...c, action: "update", writeMetadata: true, reason: "content hash changed without a body change; refreshing the ownership record" };
  }
  // Same body; the metadata may still lag (content version bump, moved parent).
  const have = (meta?.properties ?? {}) as Record<string, Json>;
  if (have.version !== r.version || typeof have.parentId !== "string" || !sameArmId(have.parentId, r.path)) {
    return { ...c, action: "update", writeMetadata: true, reason: `metadata: version ${String(have.version)} → ${r.version}` };
  }
  return c;
}

function withBy(diff: FieldDiff[], by: Record<string, string>): FieldDiff[] {
  return diff.map((d) => {
    const key = Object.keys(by).find((k) => d.path === k || d.path.startsWith(`${k}.`));
    return key ? { ...d, by: by[key] } : d;
  });
}
