// Per-tenant parameters: a content item declares them (`parameters:`), its query uses them as free names, and
// scac binds them with `let` statements placed ahead of the query. The same prelude is used by lint (analysis),
// content tests (per-case values) and deploy (per-workspace values), so all three see the same query.
import type { KqlType } from "../kql/values.js";
import type { ParameterDecl } from "./model.js";

export interface Prelude {
  /** `let` statements, one per line, each ending in a newline; "" when there are no parameters. */
  text: string;
  /** Number of lines the prelude adds ahead of the query (subtract from KQL diagnostics' line numbers). */
  lines: number;
}

export class ParameterError extends Error {}

/** Kusto literal for a JSON value of a declared type. Throws ParameterError when the value does not fit. */
export function kqlLiteral(type: KqlType, value: unknown, name: string): string {
  const bad = () => new ParameterError(`parameter ${name}: ${JSON.stringify(value)} is not a valid ${type}`);
  switch (type) {
    case "string":
      if (typeof value !== "string") throw bad();
      return JSON.stringify(value); // JSON string escapes are valid Kusto "..." escapes
    case "bool":
      if (typeof value !== "boolean") throw bad();
      return value ? "true" : "false";
    case "int": case "long":
      if (typeof value !== "number" || !Number.isInteger(value)) throw bad();
      return `${type}(${value})`;
    case "real": case "decimal":
      if (typeof value !== "number" || !Number.isFinite(value)) throw bad();
      return `${type}(${value})`;
    case "datetime":
      if (typeof value !== "string" || Number.isNaN(Date.parse(value))) throw bad();
      return `datetime(${value})`;
    case "timespan":
      if (typeof value !== "string" || !/^-?(\d+(\.\d+)?(d|h|m|s|ms)|(\d+\.)?\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?)$/.test(value)) throw bad();
      return `timespan(${value})`;
    case "guid":
      if (typeof value !== "string" || !/^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$/i.test(value)) throw bad();
      return `guid(${value})`;
    case "dynamic":
      if (value === undefined) throw bad();
      return `dynamic(${JSON.stringify(value)})`;
  }
}

/**
 * Builds the prelude for declared parameters given values (missing values take the declared default).
 * Throws ParameterError for a required parameter without value, a value of the wrong type, or an unknown name.
 */
export function buildPrelude(decls: readonly ParameterDecl[], values: Record<string, unknown> = {}): Prelude {
  const known = new Set(decls.map((d) => d.name));
  for (const k of Object.keys(values)) {
    if (!known.has(k)) throw new ParameterError(`parameter ${k} is not declared by this content item`);
  }
  let text = "";
  for (const d of decls) {
    const v = Object.prototype.hasOwnProperty.call(values, d.name) ? values[d.name] : d.default;
    if (v === undefined) throw new ParameterError(`parameter ${d.name} has no value and no default`);
    text += `let ${d.name} = ${kqlLiteral(d.type, v, d.name)};\n`;
  }
  return { text, lines: decls.length };
}

/** The query with its parameters bound. */
export function bindParameters(query: string, decls: readonly ParameterDecl[], values?: Record<string, unknown>): { query: string; prelude: Prelude } {
  const prelude = buildPrelude(decls, values);
  return { query: prelude.text + query, prelude };
}
