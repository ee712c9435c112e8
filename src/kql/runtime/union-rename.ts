// union over inputs with same-named columns of different types (union-operator.md): Kusto keeps one column per
// (name, type), in order of first appearance, and names those of a name with several types `name_type`
// (`x_long`, `x_int`). Where such a name equals another input's own column name, the documented example shows the
// input's column keeping it and the renamed one taking a `1` suffix (`x_long1`) — Kusto.Language numbers the
// other one. This module computes Kusto's layout and checks it against the binder's column positions and types.
import type { ResultColumnInfo } from "../api.js";
import type { KqlType } from "../values.js";

export interface RenamedUnion {
  /** Per input: for each output column (withsource column excluded), the input's column index or -1. */
  maps: number[][];
  /** Kusto's output column names, in the binder's order (withsource column excluded). */
  names: string[];
}

/**
 * Kusto's layout, or undefined where it is not the documented shape: a dynamic among a name's types, a
 * renamed column colliding with more than one existing name, or a column order/type that differs from the
 * binder's (`binder`: the result columns without the withsource column).
 */
export function renamedUnionLayout(inputs: ResultColumnInfo[][], binder: ResultColumnInfo[]): RenamedUnion | undefined {
  const keys: { name: string; type: KqlType }[] = [];
  const typesOf = new Map<string, Set<KqlType>>();
  for (const cols of inputs) {
    for (const c of cols) {
      const types = typesOf.get(c.name) ?? new Set<KqlType>();
      typesOf.set(c.name, types);
      if (!types.has(c.type)) { types.add(c.type); keys.push({ name: c.name, type: c.type }); }
    }
  }
  if (keys.length !== binder.length || keys.some((k, i) => k.type !== binder[i]!.type)) return undefined;
  const plain = new Set([...typesOf].filter(([, ts]) => ts.size === 1).map(([n]) => n));
  const names: string[] = [];
  for (const k of keys) {
    const types = typesOf.get(k.name)!;
    if (types.size === 1) { names.push(k.name); continue; }
    if (types.has("dynamic")) return undefined;
    const base = `${k.name}_${k.type}`;
    names.push(plain.has(base) ? `${base}1` : base);
  }
  // Only the single documented collision step (`x_long` → `x_long1`); anything needing more is not known.
  if (new Set(names).size !== names.length) return undefined;
  const binderNames = binder.map((c) => c.name).sort();
  if (names.slice().sort().some((n, i) => n !== binderNames[i])) return undefined;
  const at = new Map(keys.map((k, i) => [`${k.name}\u0000${k.type}`, i]));
  const maps = inputs.map((cols) => {
    const m = new Array<number>(keys.length).fill(-1);
    cols.forEach((c, ci) => { m[at.get(`${c.name}\u0000${c.type}`)!] = ci; });
    return m;
  });
  return { maps, names };
}
