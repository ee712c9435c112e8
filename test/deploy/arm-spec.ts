// Validates ARM request bodies against Microsoft's own OpenAPI definitions in ../shared/reference/arm-specs
// (Swagger 2.0 files, loaded as-is; `$ref`s resolve between the saved files). Test helper only.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Ajv, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";

const specRoot = resolve(fileURLToPath(new URL("../../../shared/reference/arm-specs/", import.meta.url)));
const SI = "specification/securityinsights/resource-manager/Microsoft.SecurityInsights";
export const SPEC_FILES = {
  alertRulesPreview: `${SI}/preview/2025-07-01-preview/AlertRules.json`,
  alertRulesStable: `${SI}/stable/2025-09-01/AlertRules.json`,
  metadata: `${SI}/preview/2025-07-01-preview/Metadata.json`,
  savedSearches: "specification/operationalinsights/resource-manager/Microsoft.OperationalInsights/stable/2025-02-01/SavedSearches.json",
};

// AlertTypes.json is referenced but not in the saved set (see the README there). Stubbed with the values the
// SDK's KnownAlertSeverity / KnownAttackTactic lists carry (themselves generated from Microsoft's spec).
const ALERT_TYPES_STUB = {
  definitions: {
    AlertSeverityEnum: { type: "string", enum: ["High", "Medium", "Low", "Informational"] },
    AttackTactic: {
      type: "string",
      enum: ["Reconnaissance", "ResourceDevelopment", "InitialAccess", "Execution", "Persistence", "PrivilegeEscalation",
        "DefenseEvasion", "CredentialAccess", "Discovery", "LateralMovement", "Collection", "Exfiltration",
        "CommandAndControl", "Impact", "PreAttack", "ImpairProcessControl", "InhibitResponseFunction"],
    },
  },
};

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith(".json") ? [p] : [];
  });
}

/** Swagger-only keywords Ajv does not know; `discriminator` is a bare string in Swagger 2.0. */
function stripSwagger(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stripSwagger);
  if (v && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      if (k === "discriminator" || k === "x-nullable" || k === "example") continue;
      out[k] = stripSwagger(x);
    }
    return out;
  }
  return v;
}

let ajv: Ajv | undefined;
const docs = new Map<string, Record<string, unknown>>();
function load(): Ajv {
  if (ajv) return ajv;
  ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
  addFormats.default(ajv);
  ajv.addFormat("arm-id", true);
  ajv.addFormat("int32", { type: "number", validate: (n: number) => Number.isInteger(n) && Math.abs(n) < 2 ** 31 });
  ajv.addFormat("int64", { type: "number", validate: (n: number) => Number.isInteger(n) });
  ajv.addFormat("double", { type: "number", validate: () => true });
  for (const f of walk(specRoot)) {
    if (f.includes(`${join("examples")}`)) continue;
    const doc = stripSwagger(JSON.parse(readFileSync(f, "utf8"))) as Record<string, unknown>;
    const id = pathToFileURL(f).href;
    docs.set(relative(specRoot, f).split("\\").join("/"), doc);
    ajv.addSchema({ ...doc, $id: id });
  }
  for (const v of ["preview/2025-07-01-preview", "stable/2025-09-01"]) {
    ajv.addSchema({ ...ALERT_TYPES_STUB, $id: pathToFileURL(join(specRoot, SI, v, "common/AlertTypes.json")).href });
  }
  return ajv;
}

const validators = new Map<string, ValidateFunction>();
function validatorFor(file: string, definition: string): ValidateFunction {
  const key = `${file}#${definition}`;
  let v = validators.get(key);
  if (!v) {
    const a = load();
    v = a.getSchema(`${pathToFileURL(join(specRoot, file)).href}#/definitions/${definition}`);
    if (!v) throw new Error(`no schema ${key}`);
    validators.set(key, v);
  }
  return v;
}

/** Property names a definition declares, through allOf. */
function declaredProperties(file: string, definition: string): Set<string> {
  const doc = docs.get(file)!;
  const defs = doc.definitions as Record<string, { properties?: Record<string, unknown>; allOf?: { $ref: string }[] }>;
  const def = defs[definition]!;
  const out = new Set(Object.keys(def.properties ?? {}));
  for (const a of def.allOf ?? []) {
    const m = /^#\/definitions\/(.+)$/.exec(a.$ref);
    if (m) for (const p of declaredProperties(file, m[1]!)) out.add(p);
  }
  return out;
}

const READ_ONLY = ["id", "name", "type", "systemData"];

/**
 * Errors (empty when valid) for a PUT body of the given resource, checked against the spec definition,
 * plus two checks JSON Schema cannot express here: no read-only fields, no property the spec does not declare.
 */
export function specErrors(kind: "alertRule" | "alertRuleStable" | "metadata" | "savedSearch", body: unknown): string[] {
  load();
  let file: string, def: string, propsDef: string;
  const b = body as { kind?: string; properties?: Record<string, unknown> };
  if (kind === "alertRule" || kind === "alertRuleStable") {
    file = kind === "alertRule" ? SPEC_FILES.alertRulesPreview : SPEC_FILES.alertRulesStable;
    def = b.kind === "NRT" ? "NrtAlertRule" : b.kind === "Scheduled" ? "ScheduledAlertRule" : "";
    if (!def) return [`unsupported kind ${b.kind}`];
    propsDef = `${def}Properties`;
  } else if (kind === "metadata") {
    file = SPEC_FILES.metadata; def = "MetadataModel"; propsDef = "metadataProperties";
  } else {
    file = SPEC_FILES.savedSearches; def = "SavedSearch"; propsDef = "SavedSearchProperties";
  }
  const v = validatorFor(file, def);
  const errors = v(body) ? [] : (v.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message} ${JSON.stringify(e.params)}`);
  for (const k of READ_ONLY) if (b && k in b) errors.push(`read-only field ${k} sent`);
  if (b?.properties && "lastModifiedUtc" in b.properties) errors.push("read-only field lastModifiedUtc sent");
  const declared = declaredProperties(file, propsDef);
  for (const k of Object.keys(b?.properties ?? {})) if (!declared.has(k)) errors.push(`properties.${k} is not declared by ${propsDef}`);
  return errors;
}
