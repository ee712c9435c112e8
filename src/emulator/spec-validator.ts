// The emulator's request validation, in the order the service applies it: JSON shape → OpenAPI model for the
// api-version (with the `kind` discriminator) → service rules (durations, limits, KQL against the workspace's
// tables) → the stored form (undeclared and read-only properties dropped, server defaults filled in).
import { ArmError, badRequest, type ArmErrorDetail } from "./errors.js";
import { checkAlertRule, checkSavedSearch } from "./rules.js";
import { SpecSet, describeAjvErrors, specFileFor } from "./specs.js";
import { basicShape, type BodyValidator } from "./validate.js";

type Json = Record<string, unknown>;

let specs: SpecSet | undefined;
/** Compiled once per process (~100 ms). */
export function specSet(): SpecSet {
  return (specs ??= new SpecSet());
}

const LABEL = { alertRules: "alert rule", metadata: "metadata", savedSearches: "saved search" } as const;

export function createArmValidator(opts: { serverDefaults: () => boolean }): BodyValidator {
  return (ctx, input) => {
    let body = stripNulls(basicShape(ctx, input)) as Json;
    const s = specSet();
    const { file, definition: fixed } = specFileFor(ctx.kind, ctx.apiVersion);
    let definition = fixed;
    if (!definition) {
      const kinds = s.subtypes(file, "AlertRule");
      definition = kinds.get(String(body.kind));
      if (!definition) {
        throw badRequest(`The alert rule kind '${String(body.kind)}' is not supported in api-version ${ctx.apiVersion}. Supported kinds: ${[...kinds.keys()].join(", ")}.`,
          [{ code: "InvalidKind", target: "kind", message: `must be one of ${[...kinds.keys()].join(", ")}` }]);
      }
    }
    const validate = s.validator(file, definition);
    body = s.canonicalizeEnums(body, s.definition(file, definition)) as Json;
    if (!validate(body)) {
      const problems = describeAjvErrors(validate.errors, body);
      throw invalid(ctx.kind, ctx.name, problems.map((p) => ({ code: "InvalidProperty", target: p.target, message: `${p.target} ${p.message}` })));
    }
    const stored = s.prune(body, s.definition(file, definition)) as Json;
    const props = (stored.properties ?? {}) as Json;

    if (ctx.kind === "alertRules") {
      const r = checkAlertRule(String(body.kind), props, ctx.ws, ctx.name, ctx.schemas);
      if (r.queryError) throw new ArmError(400, "BadRequest", r.queryError, r.errors);
      if (r.errors.length) throw invalid(ctx.kind, ctx.name, r.errors);
      if (opts.serverDefaults()) applyAlertRuleDefaults(String(body.kind), props);
    } else if (ctx.kind === "savedSearches") {
      const errors = checkSavedSearch(props);
      if (errors.length) throw invalid(ctx.kind, ctx.name, errors);
    }
    // The etag is a request precondition, not stored state; keep it for putResource to check.
    if (typeof body.etag === "string") stored.etag = body.etag;
    return stored;
  };
}

/**
 * A stored resource as a GET at `apiVersion` returns it: the service serialises its model for that version,
 * so properties the version does not define (e.g. subTechniques at 2025-09-01) are not returned.
 */
export function projectForApiVersion(kind: keyof typeof LABEL, apiVersion: string, resource: Json): Json {
  const s = specSet();
  const { file, definition: fixed } = specFileFor(kind, apiVersion);
  const definition = fixed ?? s.subtypes(file, "AlertRule").get(String(resource.kind));
  if (!definition) return resource; // a kind this version does not know: returned as stored
  const out = s.prune(resource, s.definition(file, definition), true) as Json;
  // Server-managed envelope fields are always returned.
  for (const k of ["id", "name", "type", "etag", "kind", "systemData"]) if (resource[k] !== undefined) out[k] = resource[k];
  return out;
}

function invalid(kind: keyof typeof LABEL, name: string, details: ArmErrorDetail[]): ArmError {
  const shown = details.slice(0, 5).map((d) => d.message).join("; ");
  const more = details.length > 5 ? ` (and ${details.length - 5} more)` : "";
  return badRequest(`Invalid ${LABEL[kind]} '${name}': ${shown}${more}`, details);
}

/** JSON.NET-style: null means "not set" for optional properties. */
function stripNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stripNulls);
  if (v === null || typeof v !== "object") return v;
  const out: Json = {};
  for (const [k, x] of Object.entries(v as Json)) if (x !== null) out[k] = stripNulls(x);
  return out;
}

/** What the service fills in when a Scheduled/NRT rule omits these (as seen in GET responses and portal exports). */
function applyAlertRuleDefaults(kind: string, p: Json): void {
  if (kind !== "Scheduled" && kind !== "NRT") return;
  if (kind === "Scheduled" && p.eventGroupingSettings === undefined) p.eventGroupingSettings = { aggregationKind: "SingleAlert" };
  p.incidentConfiguration ??= { createIncident: true };
  const ic = p.incidentConfiguration as Json;
  ic.groupingConfiguration ??= { enabled: false, reopenClosedIncident: false, lookbackDuration: "PT5H", matchingMethod: "AllEntities" };
  const g = ic.groupingConfiguration as Json;
  g.groupByEntities ??= [];
  g.groupByAlertDetails ??= [];
  g.groupByCustomDetails ??= [];
  p.alertRuleTemplateName ??= null;
  p.templateVersion ??= null;
}
