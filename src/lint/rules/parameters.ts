// scac's `parameters:` extension: well-formed declarations, defaults of the declared type, and no unused ones.
// (An undeclared name used by the query is an unknown name to Kusto.Language: kql-semantic reports it.)
import { kqlLiteral, ParameterError } from "../../content/parameters.js";
import { KQL_TYPES, normalizeTypeName } from "../../kql/values.js";
import { defineRule } from "../rule.js";
import { isRecord } from "../util.js";

export const parameterDeclaration = defineRule({
  scope: "item", id: "parameter-declaration", severity: "error",
  description: "Each parameter has an identifier name, a KQL type and only the keys type, default, description.",
  check(ctx) {
    const p = ctx.item.data.parameters;
    if (p === undefined || p === null) return;
    if (!isRecord(p)) return ctx.report(["parameters"], "parameters must be a mapping of name → {type, default, description}");
    for (const [name, spec] of Object.entries(p)) {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) ctx.report(["parameters", name], `parameter name '${name}' is not a KQL identifier`);
      if (!isRecord(spec)) { ctx.report(["parameters", name], `parameter ${name} must be a mapping with type (and default, description)`); continue; }
      if (typeof spec.type !== "string" || !normalizeTypeName(spec.type)) ctx.report(["parameters", name, "type"], `parameter ${name}: type '${String(spec.type)}' is not one of ${KQL_TYPES.join(", ")}`);
      for (const k of Object.keys(spec)) if (!["type", "default", "description"].includes(k)) ctx.report(["parameters", name, k], `parameter ${name}: unknown key '${k}'`);
    }
  },
});

export const parameterType = defineRule({
  scope: "item", id: "parameter-type", severity: "error",
  description: "Every parameter default is a valid value of the declared type.",
  doc: "The default is what tests and deploy bind when a workspace gives no value; `type: timespan, default: 1 hour` would fail at deploy time.",
  check(ctx) {
    for (const d of ctx.item.parameters) {
      if (d.default === undefined) continue;
      try {
        kqlLiteral(d.type, d.default, d.name);
      } catch (e) {
        if (e instanceof ParameterError) ctx.report(["parameters", d.name, "default"], e.message);
        else throw e;
      }
    }
  },
});

export const parameterUnused = defineRule({
  scope: "item", id: "parameter-unused", severity: "warning",
  description: "Every declared parameter is used by the query.",
  check(ctx) {
    if (!ctx.kql) return;
    const used = new Set(ctx.kql.names);
    for (const d of ctx.item.parameters) if (!used.has(d.name)) ctx.report(["parameters", d.name], `parameter ${d.name} is declared but the query does not use it`);
  },
});

export const parameterRules = [parameterDeclaration, parameterType, parameterUnused];
