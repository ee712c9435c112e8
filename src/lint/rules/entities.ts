// Entity mappings: types, identifiers valid for the type, limits, and — the check Sentinel's own CI lacks —
// every mapped column exists in the query's output schema.
import { entityData } from "../data.js";
import { defineRule, type ItemContext } from "../rule.js";
import { didYouMean, isRecord } from "../util.js";

interface Mapping { index: number; entityType: unknown; fields: { index: number; identifier: unknown; columnName: unknown }[] }

function mappings(ctx: ItemContext): Mapping[] {
  const em = ctx.item.data.entityMappings;
  if (!Array.isArray(em)) return [];
  return em.flatMap((m, index) => {
    if (!isRecord(m)) return [];
    const fields = Array.isArray(m.fieldMappings)
      ? m.fieldMappings.flatMap((f, j) => (isRecord(f) ? [{ index: j, identifier: f.identifier, columnName: f.columnName }] : []))
      : [];
    return [{ index, entityType: m.entityType, fields }];
  });
}

/** Output columns of the query, or undefined when they cannot be trusted (no query, KQL errors, scalar result). */
export function outputColumns(ctx: ItemContext): Map<string, string> | undefined {
  const k = ctx.kql;
  if (!k || !k.resultColumns || k.diagnostics.some((d) => d.severity === "error")) return undefined;
  return new Map(k.resultColumns.map((c) => [c.name, c.type]));
}

export function missingColumnMessage(what: string, column: string, cols: Map<string, string>): string {
  const ci = [...cols.keys()].find((c) => c.toLowerCase() === column.toLowerCase());
  const hint = ci ? ` (column names are case-sensitive: the query outputs '${ci}')` : didYouMean(column, cols.keys());
  return `column '${column}' (${what}) is not in the query's output${hint}`;
}

function checkTypes(ctx: ItemContext): void {
  const types = Object.keys(entityData().types);
  for (const m of mappings(ctx)) {
    if (m.entityType === undefined || m.entityType === null) ctx.report(["entityMappings", m.index], `entityMappings[${m.index}] needs an entityType`);
    else if (typeof m.entityType !== "string" || !types.includes(m.entityType)) ctx.report(["entityMappings", m.index, "entityType"], `'${String(m.entityType)}' is not an analytics-rule entity type${didYouMean(String(m.entityType).replace(/\s+/g, ""), types)}`);
  }
}

function checkIdentifiers(ctx: ItemContext, extraToo: boolean): void {
  const { types } = entityData();
  for (const m of mappings(ctx)) {
    const t = typeof m.entityType === "string" ? types[m.entityType] : undefined;
    if (!t) continue;
    m.fields.forEach((f) => {
      const id = String(f.identifier);
      if (t.identifiers.includes(id) || (!extraToo && t.extraIdentifiers?.includes(id))) return;
      const extra = t.extraIdentifiers?.includes(id) ? " (the Sentinel service accepts it, Azure-Sentinel's CI does not)" : didYouMean(id, t.identifiers);
      ctx.report(["entityMappings", m.index, "fieldMappings", f.index, "identifier"], `'${id}' is not an identifier of ${String(m.entityType)}${extra}`);
    });
  }
}

export const entityType = defineRule({
  scope: "item", id: "entity-type", severity: "error",
  description: "An analytics rule's entityType is one of Sentinel's entity types (Account, Host, IP, URL, File, Process, …; exact spelling).",
  check(ctx) {
    if (ctx.item.kind === "analytics") checkTypes(ctx);
  },
});

export const huntingEntityMapping = defineRule({
  scope: "item", id: "hunting-entity-mapping", severity: "warning",
  description: "A hunting query's entity types and identifiers are ones analytics rules accept.",
  doc: "Hunting entity mappings feed bookmarks, which accept a few more types (e.g. CloudLogonSession); they are reported as warnings so the query can be promoted to a rule.",
  check(ctx) {
    if (ctx.item.kind !== "hunting") return;
    checkTypes(ctx);
    checkIdentifiers(ctx, true);
  },
});

export const entityIdentifier = defineRule({
  scope: "item", id: "entity-identifier", severity: "error",
  description: "Each identifier is valid for its entity type (analytics rules) and used once per mapping; columnName is a column name.",
  doc: "Identifiers the Sentinel service accepts but Azure-Sentinel's CI rejects (e.g. DNS IpAddress) are left to entity-identifier-ci.",
  check(ctx) {
    const { types } = entityData();
    for (const m of mappings(ctx)) {
      const t = typeof m.entityType === "string" ? types[m.entityType] : undefined;
      const seen = new Set<string>();
      for (const f of m.fields) {
        const path = ["entityMappings", m.index, "fieldMappings", f.index];
        const id = String(f.identifier);
        if (ctx.item.kind === "analytics" && t && !t.identifiers.includes(id) && !t.extraIdentifiers?.includes(id)) {
          ctx.report([...path, "identifier"], `'${id}' is not an identifier of ${String(m.entityType)}${didYouMean(id, t.identifiers)}`);
        }
        if (seen.has(id)) ctx.report([...path, "identifier"], `identifier ${id} is mapped twice in one entity mapping`);
        seen.add(id);
        if (f.columnName === undefined || f.columnName === null) {
          ctx.report(path, "a field mapping needs a columnName");
        } else if (typeof f.columnName !== "string" || !/^[A-Za-z_]\w*$/.test(f.columnName) || f.columnName.length > 500) {
          ctx.report([...path, "columnName"], `columnName '${String(f.columnName)}' must be a column name (letters, digits, _), at most 500 characters`);
        }
      }
    }
  },
});

export const entityIdentifierCi = defineRule({
  scope: "item", id: "entity-identifier-ci", severity: "warning",
  description: "Identifiers the Sentinel service accepts but Azure-Sentinel's CI rejects (e.g. DNS IpAddress).",
  check(ctx) {
    if (ctx.item.kind !== "analytics") return;
    const { types } = entityData();
    for (const m of mappings(ctx)) {
      const t = typeof m.entityType === "string" ? types[m.entityType] : undefined;
      for (const f of m.fields) {
        if (t?.extraIdentifiers?.includes(String(f.identifier))) ctx.report(["entityMappings", m.index, "fieldMappings", f.index, "identifier"], `${String(m.entityType)} identifier '${String(f.identifier)}' is accepted by the Sentinel service but not by Azure-Sentinel's template validation`);
      }
    }
  },
});

export const entityRequiredIdentifier = defineRule({
  scope: "item", id: "entity-required-identifier", severity: "warning",
  description: "Each mapping includes an identifier set that makes the entity usable (e.g. File needs Name; FileHash needs Algorithm and Value).",
  doc: "Sentinel drops entities it cannot identify; the sets come from Azure-Sentinel's EntityMappingIdentifiers.",
  check(ctx) {
    const { types } = entityData();
    for (const m of mappings(ctx)) {
      const t = typeof m.entityType === "string" ? types[m.entityType] : undefined;
      if (!t) continue;
      const ids = new Set(m.fields.map((f) => String(f.identifier)));
      if (!t.required.some((set) => set.every((i) => ids.has(i)))) {
        ctx.report(["entityMappings", m.index], `${String(m.entityType)} mapping needs one of: ${t.required.map((s) => s.join(" + ")).join(", ")}`);
      }
    }
  },
});

export const entityCount = defineRule({
  scope: "item", id: "entity-count", severity: "error",
  description: "At most 10 entity mappings, each with 1 to 3 field mappings.",
  doc: "The Sentinel service's limits (Azure-Sentinel's older CI allowed only 5 mappings).",
  check(ctx) {
    const { maxMappings, maxFieldMappings } = entityData();
    const em = ctx.item.data.entityMappings;
    if (Array.isArray(em) && em.length > maxMappings) ctx.report(["entityMappings"], `${em.length} entity mappings; the limit is ${maxMappings}`);
    for (const m of mappings(ctx)) {
      if (m.fields.length < 1 || m.fields.length > maxFieldMappings) ctx.report(["entityMappings", m.index], `${m.fields.length} field mappings; an entity mapping has 1 to ${maxFieldMappings}`);
    }
  },
});

export const entityColumnExists = defineRule({
  scope: "item", id: "entity-column-exists", severity: "error",
  description: "Every entity-mapped column exists in the query's output schema (case-sensitive).",
  doc: "Sentinel silently drops an entity whose column the query does not output, so the alert has no entities. The output schema comes from Kusto.Language's analysis of the query against the table schemas.",
  check(ctx) {
    const cols = outputColumns(ctx);
    if (!cols) return;
    for (const m of mappings(ctx)) {
      for (const f of m.fields) {
        if (typeof f.columnName === "string" && !cols.has(f.columnName)) {
          ctx.report(["entityMappings", m.index, "fieldMappings", f.index, "columnName"], missingColumnMessage(`mapped to ${String(m.entityType)}.${String(f.identifier)}`, f.columnName, cols));
        }
      }
    }
  },
});

const LEGACY = ["AccountCustomEntity", "HostCustomEntity", "IPCustomEntity", "URLCustomEntity", "ProcessCustomEntity", "FileHashCustomEntity"];

export const legacyCustomEntity = defineRule({
  scope: "item", id: "legacy-custom-entity", severity: "warning",
  description: "A query that outputs a legacy *CustomEntity column maps it in entityMappings.",
  doc: "Azure-Sentinel's NewEntityMappings check: `AccountCustomEntity`, `HostCustomEntity`, … were the pre-2021 way to declare entities; without a mapping they are ignored.",
  check(ctx) {
    if (ctx.item.kind !== "analytics" || !ctx.kql?.resultColumns) return;
    const mapped = new Set(mappings(ctx).flatMap((m) => m.fields.map((f) => f.columnName)));
    for (const c of ctx.kql.resultColumns) {
      if (LEGACY.includes(c.name) && !mapped.has(c.name)) ctx.report(["query"], `the query outputs ${c.name} but no entity mapping uses it`);
    }
  },
});

export const entityRules = [entityType, entityIdentifier, entityIdentifierCi, huntingEntityMapping, entityRequiredIdentifier, entityCount, entityColumnExists, legacyCustomEntity];
