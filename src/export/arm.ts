// `scac export arm`: one ARM deployment template per content item, in the shape Sentinel Repositories and the
// portal's own rule export use (`Microsoft.OperationalInsights/workspaces/providers/alertRules` named
// `[concat(parameters('workspace'),'/Microsoft.SecurityInsights/<id>')]`; hunting queries as
// `Microsoft.OperationalInsights/workspaces/savedSearches`). The resource bodies come from deploy's own mapping
// (desiredForWorkspace), so a template deploys exactly what `scac deploy` would.
import type { ContentItem } from "../content/model.js";
import type { Diagnostic } from "../diagnostics.js";
import { desiredForWorkspace, type DesiredResource } from "../deploy/desired.js";
import type { Json } from "../deploy/normalize.js";
import { DEFAULT_API_VERSIONS, type WorkspacesConfig, type WorkspaceTarget } from "../deploy/workspaces.js";

export const TEMPLATE_SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#";

export interface ArmTemplate {
  $schema: string;
  contentVersion: string;
  parameters: Record<string, { type: string; metadata?: { description: string } }>;
  resources: Record<string, unknown>[];
}

/** A neutral target: content defaults, no overrides, parameters at their declared defaults. */
export function exportTarget(): { target: WorkspaceTarget; config: Pick<WorkspacesConfig, "file" | "positionOf"> } {
  const target: WorkspaceTarget = {
    name: "export", subscriptionId: "00000000-0000-0000-0000-000000000000", resourceGroup: "export", workspace: "export",
    endpoint: "https://management.azure.com", auth: { type: "none" },
    content: { include: ["**"], exclude: [], tags: [] }, parameters: {}, overrides: {},
    apiVersions: { ...DEFAULT_API_VERSIONS }, linkTemplates: false,
    origins: { parameters: {}, overrides: {}, workspace: [] },
  };
  return { target, config: { file: "(export)", positionOf: () => ({ line: 0, column: 0 }) } };
}

/**
 * ARM evaluates a string that starts with `[` and ends with `]` as a template expression; `[[` escapes it
 * (a KQL query or description can legitimately look like that).
 */
export function escapeArmStrings(v: Json): Json {
  if (typeof v === "string") return v.startsWith("[") && v.endsWith("]") ? `[${v}` : v;
  if (Array.isArray(v)) return v.map(escapeArmStrings);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, escapeArmStrings(x)]));
  return v;
}

/** ARM template strings embed the id inside '…' literals: a quote there would end the literal. */
function armLiteral(s: string): string {
  return s.replace(/'/g, "''");
}

export function templateFor(r: DesiredResource): ArmTemplate {
  const id = armLiteral(r.id);
  const props = escapeArmStrings(r.body.properties) as Record<string, Json>;
  const resource = r.kind === "analyticsRule"
    ? {
        id: `[concat(resourceId('Microsoft.OperationalInsights/workspaces/providers', parameters('workspace'), 'Microsoft.SecurityInsights'),'/alertRules/${id}')]`,
        name: `[concat(parameters('workspace'),'/Microsoft.SecurityInsights/${id}')]`,
        type: "Microsoft.OperationalInsights/workspaces/providers/alertRules",
        kind: r.body.kind,
        apiVersion: r.apiVersion,
        properties: props,
      }
    : {
        name: `[concat(parameters('workspace'),'/${id}')]`,
        type: "Microsoft.OperationalInsights/workspaces/savedSearches",
        apiVersion: r.apiVersion,
        // Inside properties, as Microsoft's solution templates write it: overwrite an existing saved search.
        properties: { eTag: "*", ...props },
      };
  return {
    $schema: TEMPLATE_SCHEMA,
    contentVersion: "1.0.0.0",
    parameters: { workspace: { type: "string", metadata: { description: "Name of the Log Analytics workspace Microsoft Sentinel runs on" } } },
    resources: [resource],
  };
}

export interface ExportedTemplate {
  item: ContentItem;
  template: ArmTemplate;
}

/** Templates for the items (bodies as deploy builds them for `target`); items deploy cannot build are diagnostics. */
export function exportArm(items: readonly ContentItem[], target = exportTarget().target, config: Pick<WorkspacesConfig, "file" | "positionOf"> = exportTarget().config): { templates: ExportedTemplate[]; diagnostics: Diagnostic[] } {
  const d = desiredForWorkspace(items.map((item) => ({ item, relPath: item.file, tags: [] })), target, config);
  const byFile = new Map(items.map((i) => [i.file, i]));
  return {
    templates: d.resources.map((r) => ({ item: byFile.get(r.file)!, template: templateFor(r) })),
    diagnostics: d.diagnostics.filter((x) => x.rule !== "deploy/override-unused" && x.rule !== "deploy/parameter-unused" || x.severity === "error"),
  };
}
