// Microsoft's OpenAPI (Swagger 2.0) definitions for the emulated resources, loaded from data/arm-specs at run
// time and compiled with Ajv. Swagger-only constructs are adapted: `discriminator` is dispatched by hand (the
// body's `kind` picks the subtype), x-ms-* keywords are ignored (strict: false), and `prune` keeps only the
// properties the api-version defines (ARM drops the rest) and drops read-only ones.
import { readFileSync } from "node:fs";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import type { CollectionName } from "./store.js";

const SPEC_ROOT = new URL("../../data/arm-specs/specification/", import.meta.url);
const ID_BASE = "https://scac.local/arm-specs/";

const SI = "securityinsights/resource-manager/Microsoft.SecurityInsights";
const FILES = [
  `${SI}/preview/2025-07-01-preview/AlertRules.json`,
  `${SI}/preview/2025-07-01-preview/Metadata.json`,
  `${SI}/preview/2025-07-01-preview/common/ContentCommonTypes.json`,
  `${SI}/preview/2025-07-01-preview/common/AlertTypes.json`,
  `${SI}/stable/2025-09-01/AlertRules.json`,
  `${SI}/stable/2025-09-01/common/AlertTypes.json`,
  "securityinsights/resource-manager/common/2.0/types.json",
  "operationalinsights/resource-manager/Microsoft.OperationalInsights/stable/2025-02-01/SavedSearches.json",
  "operationalinsights/resource-manager/common/v1/types.json",
  "common-types/resource-management/v1/types.json",
  "common-types/resource-management/v3/types.json",
  "common-types/resource-management/v5/types.json",
];

/** Which definition file describes a resource at an api-version. */
export function specFileFor(kind: CollectionName, apiVersion: string): { file: string; definition?: string } {
  switch (kind) {
    case "alertRules":
      return { file: apiVersion === "2025-09-01" ? `${SI}/stable/2025-09-01/AlertRules.json` : `${SI}/preview/2025-07-01-preview/AlertRules.json` };
    case "metadata":
      return { file: `${SI}/preview/2025-07-01-preview/Metadata.json`, definition: "MetadataModel" };
    case "savedSearches":
      return { file: "operationalinsights/resource-manager/Microsoft.OperationalInsights/stable/2025-02-01/SavedSearches.json", definition: "SavedSearch" };
  }
}

type Json = Record<string, unknown>;
export interface SchemaRef { node: Json; file: string }

export class SpecSet {
  private readonly docs = new Map<string, Json>();
  private readonly ajv: Ajv;
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor() {
    this.ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
    const addFormats = (addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule;
    (addFormats as unknown as (a: Ajv) => void)(this.ajv);
    const known = new Set(["date-time", "date", "time", "duration", "uri", "uuid", "email", "int32", "int64", "float", "double", "byte", "binary", "password"]);
    for (const f of FILES) {
      const doc = JSON.parse(readFileSync(new URL(f, SPEC_ROOT), "utf8")) as Json;
      this.docs.set(f, doc);
      const schema = adapt({ definitions: doc.definitions ?? {}, parameters: doc.parameters ?? {} }) as Json;
      schema.$id = ID_BASE + f;
      for (const fmt of collectFormats(schema)) if (!known.has(fmt)) { this.ajv.addFormat(fmt, true); known.add(fmt); }
      this.ajv.addSchema(schema);
    }
  }

  /** Subtypes of a discriminated base: kind value → definition name. */
  private readonly subtypeCache = new Map<string, Map<string, string>>();

  subtypes(file: string, base: string): Map<string, string> {
    const key = `${file}#${base}`;
    const hit = this.subtypeCache.get(key);
    if (hit) return hit;
    const defs = (this.docs.get(file)!.definitions ?? {}) as Record<string, Json>;
    const out = new Map<string, string>();
    for (const [name, d] of Object.entries(defs)) {
      const allOf = (d.allOf ?? []) as Json[];
      if (allOf.some((a) => a.$ref === `#/definitions/${base}`)) out.set(String(d["x-ms-discriminator-value"] ?? name), name);
    }
    this.subtypeCache.set(key, out);
    return out;
  }

  validator(file: string, definition: string): ValidateFunction {
    const key = `${file}#${definition}`;
    let v = this.compiled.get(key);
    if (!v) this.compiled.set(key, (v = this.ajv.compile({ $ref: `${ID_BASE}${file}#/definitions/${definition}` })));
    return v;
  }

  definition(file: string, definition: string): SchemaRef {
    return { node: ((this.docs.get(file)!.definitions as Record<string, Json>)[definition])!, file };
  }

  /** Follows a $ref (relative to `file`) to its node. */
  private readonly resolveCache = new WeakMap<Json, Map<string, SchemaRef>>();

  resolve(ref: SchemaRef): SchemaRef {
    if (typeof ref.node.$ref !== "string") return ref;
    let byFile = this.resolveCache.get(ref.node);
    const hit = byFile?.get(ref.file);
    if (hit) return hit;
    const r = this.resolveUncached(ref);
    if (!byFile) this.resolveCache.set(ref.node, (byFile = new Map()));
    byFile.set(ref.file, r);
    return r;
  }

  private resolveUncached(ref: SchemaRef): SchemaRef {
    let cur = ref;
    for (let i = 0; i < 20 && typeof cur.node.$ref === "string"; i++) {
      const [path, pointer] = (cur.node.$ref as string).split("#");
      const file = path ? new URL(path, `${ID_BASE}${cur.file}`).href.slice(ID_BASE.length) : cur.file;
      const doc = this.docs.get(file);
      if (!doc) throw new Error(`unresolvable $ref ${cur.node.$ref as string} in ${cur.file}`);
      let node: unknown = doc;
      for (const part of (pointer ?? "").split("/").filter(Boolean)) node = (node as Json)[part.replace(/~1/g, "/").replace(/~0/g, "~")];
      if (!node) throw new Error(`unresolvable $ref ${cur.node.$ref as string} in ${cur.file}`);
      cur = { node: node as Json, file };
    }
    return cur;
  }

  /** Declared properties of an object schema, including those inherited through allOf. */
  private readonly propsCache = new WeakMap<Json, { props: Map<string, SchemaRef>; additional?: SchemaRef | true }>();

  private propertiesOf(ref: SchemaRef): { props: Map<string, SchemaRef>; additional?: SchemaRef | true } {
    const r = this.resolve(ref);
    const cached = this.propsCache.get(r.node);
    if (cached) return cached;
    const props = new Map<string, SchemaRef>();
    let additional: SchemaRef | true | undefined;
    for (const base of (r.node.allOf ?? []) as Json[]) {
      const inherited = this.propertiesOf({ node: base, file: r.file });
      for (const [k, v] of inherited.props) props.set(k, v);
      additional ??= inherited.additional;
    }
    for (const [k, v] of Object.entries((r.node.properties ?? {}) as Record<string, Json>)) props.set(k, { node: v, file: r.file });
    const ap = r.node.additionalProperties;
    if (ap === true) additional = true;
    else if (ap && typeof ap === "object") additional = { node: ap as Json, file: r.file };
    const result = { props, additional };
    this.propsCache.set(r.node, result);
    return result;
  }

  /**
   * Maps enum values spelt with another case or spacing ("Azure resource", "greaterthan") onto the declared
   * value, as the service's (.NET) enum deserialisation does; other values are left for validation to reject.
   */
  canonicalizeEnums(value: unknown, ref: SchemaRef): unknown {
    const r = this.resolve(ref);
    if (Array.isArray(value)) {
      const items = r.node.items as Json | undefined;
      return items ? value.map((v) => this.canonicalizeEnums(v, { node: items, file: r.file })) : value;
    }
    if (typeof value === "string" && Array.isArray(r.node.enum)) {
      const values = r.node.enum as unknown[];
      if (values.includes(value)) return value;
      const name = (r.node["x-ms-enum"] as Json | undefined)?.name;
      return values.find((e) => typeof e === "string" && enumKey(e, name) === enumKey(value, name)) ?? value;
    }
    if (value === null || typeof value !== "object") return value;
    const { props, additional } = this.propertiesOf(r);
    const out: Json = {};
    for (const [k, v] of Object.entries(value as Json)) {
      const p = props.get(k) ?? (additional && additional !== true ? additional : undefined);
      out[k] = p ? this.canonicalizeEnums(v, p) : v;
    }
    return out;
  }

  /**
   * The value as the service would store it: properties the definition does not declare are dropped (ARM's
   * deserializer ignores them), read-only ones too (id, systemData, lastModifiedUtc…).
   */
  prune(value: unknown, ref: SchemaRef, keepReadOnly = false): unknown {
    const r = this.resolve(ref);
    if (Array.isArray(value)) {
      const items = r.node.items as Json | undefined;
      return items ? value.map((v) => this.prune(v, { node: items, file: r.file }, keepReadOnly)) : value;
    }
    if (value === null || typeof value !== "object") return value;
    const { props, additional } = this.propertiesOf(r);
    if (props.size === 0 && !additional && r.node.type !== "object") return value; // free-form
    const out: Json = {};
    for (const [k, v] of Object.entries(value as Json)) {
      const p = props.get(k);
      if (p) {
        if (!keepReadOnly && (this.resolve(p).node.readOnly === true || p.node.readOnly === true)) continue;
        out[k] = this.prune(v, p, keepReadOnly);
      } else if (additional === true) out[k] = v;
      else if (additional) out[k] = this.prune(v, additional, keepReadOnly);
    }
    return out;
  }
}

/**
 * Enum spellings the service still maps onto a value: any case (.NET enum parsing), and for entity types also
 * with spaces ("Azure resource" is used by shipped Azure-Sentinel rules and accepted by the API).
 */
const enumKey = (v: string, enumName: unknown) => (enumName === "EntityMappingType" ? v.replace(/\s+/g, "") : v).toLowerCase();

/** Swagger → JSON Schema adjustments Ajv needs. */
function adapt(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(adapt);
  if (node === null || typeof node !== "object") return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node as Json)) {
    if (k === "discriminator" && typeof v === "string") continue; // dispatched by hand on `kind`
    if (k.startsWith("x-ms-examples")) continue;
    out[k] = adapt(v);
  }
  return out;
}

function collectFormats(node: unknown, acc = new Set<string>()): Set<string> {
  if (Array.isArray(node)) for (const n of node) collectFormats(n, acc);
  else if (node && typeof node === "object") {
    for (const [k, v] of Object.entries(node as Json)) {
      if (k === "format" && typeof v === "string") acc.add(v);
      else collectFormats(v, acc);
    }
  }
  return acc;
}

/** Ajv errors as "properties.queryFrequency: must match format "duration"" style lines. */
export function describeAjvErrors(errors: ErrorObject[] | null | undefined, body: unknown): { target: string; message: string }[] {
  const out: { target: string; message: string }[] = [];
  const seen = new Set<string>();
  for (const e of errors ?? []) {
    const base = e.instancePath.split("/").filter(Boolean).map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
    let target = base;
    let message: string;
    switch (e.keyword) {
      case "required":
        target = [...base, String(e.params.missingProperty)];
        message = "is required";
        break;
      case "enum":
        message = `must be one of ${(e.params.allowedValues as unknown[]).map(String).join(", ")} (got ${JSON.stringify(valueAt(body, base))})`;
        break;
      case "format":
        message = `${JSON.stringify(valueAt(body, base))} is not a valid ${String(e.params.format)}${e.params.format === "duration" ? " (ISO 8601, e.g. PT1H)" : ""}`;
        break;
      case "type":
        message = `must be of type ${String(e.params.type)} (got ${JSON.stringify(valueAt(body, base))})`;
        break;
      default:
        message = e.message ?? e.keyword;
    }
    const t = formatPath(target);
    const key = `${t}|${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ target: t, message });
  }
  return out;
}

export function formatPath(parts: readonly (string | number)[]): string {
  let s = "";
  for (const p of parts) s += /^\d+$/.test(String(p)) ? `[${p}]` : s ? `.${p}` : String(p);
  return s || "(body)";
}

function valueAt(body: unknown, path: string[]): unknown {
  let cur = body;
  for (const p of path) cur = cur && typeof cur === "object" ? (cur as Json)[p] : undefined;
  return cur;
}
