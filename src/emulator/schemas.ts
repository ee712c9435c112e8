// Conversion between scac's SchemaSet and the emulator's per-workspace table declarations.
import { emptySchemaSet, type SchemaSet } from "../schemas/model.js";
import { normalizeTypeName } from "../kql/values.js";
import type { TableDef } from "./store.js";
import { loadSchemas } from "../schemas/loader.js";
import { formatDiagnostic } from "../diagnostics.js";

export function schemaSetTables(s: SchemaSet): TableDef[] {
  return [...s.tables.values()].map((t) => ({ name: t.name, columns: t.columns.map((c) => ({ name: c.name, type: c.type })) }));
}

/** A workspace's declared tables, keeping the default set's functions and watchlists (they are not tables). */
export function tablesToSchemaSet(tables: TableDef[], base?: SchemaSet): SchemaSet {
  const s = emptySchemaSet();
  if (base) {
    for (const [k, f] of base.functions) s.functions.set(k, f);
    for (const [k, w] of base.watchlists) s.watchlists.set(k, w);
  }
  for (const t of tables) {
    s.tables.set(t.name, {
      name: t.name,
      columns: t.columns.map((c) => ({ name: c.name, type: normalizeTypeName(laType(c.type)) ?? "dynamic" })),
    });
  }
  return s;
}

/** Accepts Log Analytics wire names too (dateTime, boolean). */
function laType(t: string): string {
  const l = t.toLowerCase();
  return l === "boolean" ? "bool" : l;
}

/** Built-in schemas plus schema directories (src/schemas/loader.ts); problems in the files are returned, not thrown. */
export async function loadSchemaDirs(dirs: string[]): Promise<{ schemas: SchemaSet; problems: string[] }> {
  const r = await loadSchemas(dirs);
  return { schemas: r.schemas, problems: r.diagnostics.map(formatDiagnostic) };
}
