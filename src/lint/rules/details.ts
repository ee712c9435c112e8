// customDetails and alertDetailsOverride: Sentinel's limits, and every referenced column exists in the output.
import { defineRule, type ItemContext } from "../rule.js";
import { isRecord } from "../util.js";
import { missingColumnMessage, outputColumns } from "./entities.js";

const PLACEHOLDER_RE = /\{\{([^{}]*)\}\}/g;
const OVERRIDE_LIMITS: Record<string, number> = { alertDisplayNameFormat: 256, alertDescriptionFormat: 5000 };

export const customDetails = defineRule({
  scope: "item", id: "custom-details", severity: "error",
  description: "customDetails: at most 20 entries; keys ≤ 20 characters matching ^[a-zA-Z]+\\w*$; values are column names ≤ 500 characters.",
  check(ctx) {
    const cd = ctx.item.data.customDetails;
    if (!isRecord(cd)) return;
    const entries = Object.entries(cd);
    if (entries.length > 20) ctx.report(["customDetails"], `${entries.length} custom details; the limit is 20`);
    for (const [k, v] of entries) {
      if (k.length > 20 || !/^[a-zA-Z]+\w*$/.test(k)) ctx.report(["customDetails", k], `custom detail key '${k}' must start with a letter, contain only letters, digits and _, and be at most 20 characters`);
      if (typeof v !== "string" || v.length > 500 || !/^[a-zA-Z_]+\w*$/.test(v)) ctx.report(["customDetails", k], `custom detail ${k}: value '${String(v)}' must be a column name`);
    }
  },
});

export const customDetailsColumn = defineRule({
  scope: "item", id: "custom-details-column", severity: "error",
  description: "Every customDetails value is a column of the query's output.",
  check(ctx) {
    const cd = ctx.item.data.customDetails;
    const cols = outputColumns(ctx);
    if (!isRecord(cd) || !cols) return;
    for (const [k, v] of Object.entries(cd)) {
      if (typeof v === "string" && !cols.has(v)) ctx.report(["customDetails", k], missingColumnMessage(`custom detail ${k} reads`, v, cols));
    }
  },
});

function overrides(ctx: ItemContext): [string, string][] {
  const o = ctx.item.data.alertDetailsOverride;
  if (!isRecord(o)) return [];
  return Object.entries(o).filter((e): e is [string, string] => typeof e[1] === "string");
}

export const alertDetailsOverride = defineRule({
  scope: "item", id: "alert-details-override", severity: "error",
  description: "alertDetailsOverride: display name 1..256 characters and description 1..5,000, each with at most 3 {{Column}} placeholders.",
  check(ctx) {
    for (const [k, v] of overrides(ctx)) {
      const max = OVERRIDE_LIMITS[k];
      if (max === undefined) continue;
      if (v.trim().length === 0 || v.length > max) ctx.report(["alertDetailsOverride", k], `${k} must be 1..${max} characters (it is ${v.length})`);
      const n = [...v.matchAll(PLACEHOLDER_RE)].length;
      if (n > 3) ctx.report(["alertDetailsOverride", k], `${k} has ${n} {{…}} placeholders; the limit is 3`);
    }
  },
});

export const alertDetailsColumn = defineRule({
  scope: "item", id: "alert-details-column", severity: "error",
  description: "Every {{Column}} placeholder and alertTacticsColumnName / alertSeverityColumnName is a column of the query's output.",
  doc: "Sentinel renders an unknown placeholder as empty text; Azure-Sentinel's CI does not check this.",
  check(ctx) {
    const cols = outputColumns(ctx);
    if (!cols) return;
    for (const [k, v] of overrides(ctx)) {
      if (k === "alertTacticsColumnName" || k === "alertSeverityColumnName") {
        if (!cols.has(v)) ctx.report(["alertDetailsOverride", k], missingColumnMessage(k, v, cols));
        continue;
      }
      for (const m of v.matchAll(PLACEHOLDER_RE)) {
        const col = m[1]!.trim();
        if (!cols.has(col)) ctx.report(["alertDetailsOverride", k], missingColumnMessage(`placeholder {{${col}}} in ${k}`, col, cols));
      }
    }
  },
});

export const detailRules = [customDetails, customDetailsColumn, alertDetailsOverride, alertDetailsColumn];
