// ARM resource paths (relative to the endpoint), spelled exactly as the Azure SDKs send them.
import type { WorkspaceTarget } from "./workspaces.js";

type Ws = Pick<WorkspaceTarget, "subscriptionId" | "resourceGroup" | "workspace">;

const enc = encodeURIComponent;

export function workspacePath(t: Ws): string {
  return `/subscriptions/${enc(t.subscriptionId)}/resourceGroups/${enc(t.resourceGroup)}/providers/Microsoft.OperationalInsights/workspaces/${enc(t.workspace)}`;
}

export function alertRulesPath(t: Ws): string {
  return `${workspacePath(t)}/providers/Microsoft.SecurityInsights/alertRules`;
}

export function metadataCollectionPath(t: Ws): string {
  return `${workspacePath(t)}/providers/Microsoft.SecurityInsights/metadata`;
}

/** Log Analytics spells the segment `resourcegroups` (lower case) in its SDK and spec. */
export function savedSearchesPath(t: Ws): string {
  return `/subscriptions/${enc(t.subscriptionId)}/resourcegroups/${enc(t.resourceGroup)}/providers/Microsoft.OperationalInsights/workspaces/${enc(t.workspace)}/savedSearches`;
}

export function tablesPath(t: Ws): string {
  return `${workspacePath(t)}/tables`;
}

/** Name of the Sentinel metadata resource scac writes for an item (prefixed so it never collides with Content Hub's). */
export function metadataName(kind: "analyticsRule" | "huntingQuery", id: string): string {
  return `scac-${kind === "analyticsRule" ? "analyticsrule" : "huntingquery"}-${id.toLowerCase()}`;
}

/** ARM ids compare case-insensitively. */
export function sameArmId(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
