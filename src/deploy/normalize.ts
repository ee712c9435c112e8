// One comparable form (top level: only `kind` and `properties`; id/name/type/etag/systemData are the server's) for a desired body and a body read back from ARM: read-only fields dropped, absent ≡ null
// ≡ [] ≡ {}, durations canonical ISO (compared by value), set-like arrays sorted, text line endings and trailing
// whitespace normalised, server defaults filled in. Hashes and diffs are computed on this form only.
import { createHash } from "node:crypto";
import { durationSeconds, isoFromSeconds } from "./durations.js";

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type ResourceKind = "analyticsRule" | "huntingQuery";

const RULE_READ_ONLY = new Set(["lastModifiedUtc"]);
const DURATION_FIELDS = new Set(["queryFrequency", "queryPeriod", "suppressionDuration", "lookbackDuration"]);
const SET_FIELDS = new Set(["tactics", "techniques", "subTechniques", "groupByEntities", "groupByAlertDetails", "groupByCustomDetails"]);
const TEXT_FIELDS = new Set(["query", "description"]);
/** Tags the portal stamps on saved searches it touches; not part of the content. */
const PORTAL_TAGS = new Set(["createdby", "createdtimeutc"]);
/** Values the service assumes when a field is absent. */
const RULE_DEFAULTS: Record<string, Json> = { eventGroupingSettings: { aggregationKind: "SingleAlert" } };

export function normalizeText(s: string): string {
  return s.replace(/\r\n?/g, "\n").split("\n").map((l) => l.replace(/[ \t]+$/, "")).join("\n").replace(/\n+$/, "");
}

function clean(v: unknown, key: string | undefined): Json | undefined {
  if (v === null || v === undefined) return undefined;
  if (Array.isArray(v)) {
    let out = v.map((x) => clean(x, undefined)).filter((x): x is Json => x !== undefined);
    if (out.length === 0) return undefined;
    if (key && SET_FIELDS.has(key)) out = [...new Set(out.map((x) => JSON.stringify(x)))].sort().map((x) => JSON.parse(x) as Json);
    return out;
  }
  if (typeof v === "object") {
    const out: Record<string, Json> = {};
    for (const k of Object.keys(v as object).sort()) {
      const c = clean((v as Record<string, unknown>)[k], k);
      if (c !== undefined) out[k] = c;
    }
    return Object.keys(out).length ? out : undefined;
  }
  if (typeof v === "string") {
    if (key && DURATION_FIELDS.has(key)) {
      const s = durationSeconds(v);
      return s === undefined ? v : isoFromSeconds(s);
    }
    if (key && TEXT_FIELDS.has(key)) return normalizeText(v);
    return v;
  }
  if (typeof v === "number" || typeof v === "boolean") return v;
  return String(v);
}

/** Comparable form of an analytics rule or saved search body ({ kind?, properties }). */
export function normalizeBody(kind: ResourceKind, body: unknown): Record<string, Json> {
  const b = (body ?? {}) as Record<string, unknown>;
  const props = { ...((b.properties ?? {}) as Record<string, unknown>) };
  const out: Record<string, Json> = {};
  if (kind === "analyticsRule") {
    for (const k of RULE_READ_ONLY) delete props[k];
    for (const [k, v] of Object.entries(RULE_DEFAULTS)) if (props[k] === undefined || props[k] === null) props[k] = v;
    if (typeof b.kind === "string") out.kind = b.kind;
  } else {
    if (Array.isArray(props.tags)) {
      props.tags = (props.tags as { name?: unknown; value?: unknown }[])
        .filter((t) => !PORTAL_TAGS.has(String(t?.name ?? "").toLowerCase()))
        .map((t) => ({ name: String(t?.name ?? ""), value: normalizeText(String(t?.value ?? "")) }))
        .sort((x, y) => x.name.localeCompare(y.name) || x.value.localeCompare(y.value));
    }
    if (typeof props.category === "string") props.category = props.category.trim();
  }
  out.properties = clean(props, undefined) ?? {};
  return out;
}

/** Key-order-independent JSON. */
export function canonicalJson(v: unknown): string {
  return JSON.stringify(clean(v, undefined) ?? null);
}

/** Short content hash of a normalised body (64 bits of SHA-256: collisions are not a practical concern here). */
export function hashNormalized(n: Record<string, Json>): string {
  return createHash("sha256").update(JSON.stringify(n)).digest("hex").slice(0, 16);
}

export interface FieldDiff {
  path: string;
  before?: Json;
  after?: Json;
  /** Why the desired value is what it is (a parameter or override), for people. */
  by?: string;
}

/** Field-level differences between two normalised bodies (arrays compare as whole values). */
export function diffNormalized(before: Json | undefined, after: Json | undefined, path = ""): FieldDiff[] {
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  const isObj = (x: unknown): x is Record<string, Json> => !!x && typeof x === "object" && !Array.isArray(x);
  if (isObj(before) && isObj(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => diffNormalized(before[k], after[k], path ? `${path}.${k}` : k));
  }
  const d: FieldDiff = { path };
  if (before !== undefined) d.before = before;
  if (after !== undefined) d.after = after;
  return [d];
}
