// Parses ARM request paths under a Log Analytics workspace. Segment names are matched case-insensitively
// (ARM does; the SDKs send `resourceGroups` for Sentinel but `resourcegroups` for saved searches).
import type { CollectionName, WorkspaceRef } from "./store.js";

export type RouteKind = CollectionName | "tables" | "watchlists" | "watchlistItems";

export interface ArmRoute {
  ws: WorkspaceRef;
  kind: RouteKind;
  /** Resource name; undefined for the collection. */
  name?: string;
  /** Watchlist alias of a watchlistItems route. */
  parent?: string;
}

export type RouteResult = { ok: true; route: ArmRoute } | { ok: false; reason: "not-workspace" | "unknown-type"; type?: string };

const eq = (a: string | undefined, b: string) => a !== undefined && a.toLowerCase() === b.toLowerCase();

export function parseArmPath(pathname: string): RouteResult {
  let seg: string[];
  try {
    seg = pathname.split("/").filter((s) => s.length > 0).map(decodeURIComponent);
  } catch {
    return { ok: false, reason: "not-workspace" };
  }
  if (!(eq(seg[0], "subscriptions") && seg[1] && eq(seg[2], "resourceGroups") && seg[3] && eq(seg[4], "providers")
    && eq(seg[5], "Microsoft.OperationalInsights") && eq(seg[6], "workspaces") && seg[7])) {
    return { ok: false, reason: "not-workspace" };
  }
  const ws: WorkspaceRef = { subscriptionId: seg[1]!, resourceGroup: seg[3]!, workspace: seg[7]! };
  const rest = seg.slice(8);
  if (eq(rest[0], "providers") && eq(rest[1], "Microsoft.SecurityInsights")) {
    const t = rest[2];
    if (eq(t, "watchlists") && rest.length <= 6) {
      // watchlists[/{alias}[/watchlistItems[/{id}]]] — read-only, derived from the workspace schema.
      if (rest.length <= 4) return { ok: true, route: { ws, kind: "watchlists", name: rest[3] } };
      if (eq(rest[4], "watchlistItems")) return { ok: true, route: { ws, kind: "watchlistItems", name: rest[5], parent: rest[3] } };
    }
    const kind: RouteKind | undefined = eq(t, "alertRules") ? "alertRules" : eq(t, "metadata") ? "metadata" : undefined;
    if (!kind || rest.length > 4) return { ok: false, reason: "unknown-type", type: `Microsoft.SecurityInsights/${rest.slice(2).join("/")}` };
    return { ok: true, route: { ws, kind, name: rest[3] } };
  }
  const kind: RouteKind | undefined = eq(rest[0], "savedSearches") ? "savedSearches" : eq(rest[0], "tables") ? "tables" : undefined;
  if (!kind || rest.length > 2) return { ok: false, reason: "unknown-type", type: `Microsoft.OperationalInsights/workspaces/${rest.join("/")}` };
  return { ok: true, route: { ws, kind, name: rest[1] } };
}

/** Splits `/subscriptions/…/workspaces/{ws}` (nothing after it) into a workspace reference. */
export function parseWorkspacePath(pathname: string): WorkspaceRef | undefined {
  const seg = pathname.split("/").filter((s) => s.length > 0).map(decodeURIComponent);
  if (seg.length !== 8) return undefined;
  if (!(eq(seg[0], "subscriptions") && eq(seg[2], "resourceGroups") && eq(seg[4], "providers")
    && eq(seg[5], "Microsoft.OperationalInsights") && eq(seg[6], "workspaces"))) return undefined;
  return { subscriptionId: seg[1]!, resourceGroup: seg[3]!, workspace: seg[7]! };
}
