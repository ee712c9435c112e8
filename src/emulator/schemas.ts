// Conversion between scac's SchemaSet and the emulator's per-workspace table declarations.
import { emptySchemaSet, type SchemaSet } from "../schemas/model.js";
import { normalizeTypeName } from "../kql/values.js";
import type { TableDef } from "./store.js";

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

/** Loads schema directories with the repo's schema loader (src/schemas/loader.ts). */
export async function loadSchemaDirs(dirs: string[]): Promise<SchemaSet> {
  const spec = "../schemas/loader.js"; // resolved at run time: the loader is another area's module
  let mod: { loadSchemas?: (dirs: string[]) => unknown };
  try {
    mod = (await import(spec)) as typeof mod;
  } catch (e) {
    throw new Error(`--tables needs the schema loader (src/schemas/loader.ts): ${(e as Error).message}`);
  }
  if (!mod.loadSchemas) throw new Error("src/schemas/loader.ts does not export loadSchemas");
  const r = (await mod.loadSchemas(dirs)) as SchemaSet | { schemas: SchemaSet };
  return "tables" in r ? r : r.schemas;
}
