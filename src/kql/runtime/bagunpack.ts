// evaluate bag_unpack without an output schema: the column type of each slot (bag-unpack-plugin.md, Returns) is
// "the type of the slot, if all values of the same slot have the same type, or dynamic, if the values differ in
// type", and "the plugin ignores null values". A string column has no null (null-values.md): a row without the
// slot gets "". Refused: a slot that only ever holds null (whether it yields a column, and of which type, is not
// documented) and a datetime/timespan/guid slot (its typed column would reach operators the binder typed as dynamic).
import { KqlError } from "../api.js";
import { DynScalar, type Dyn, type KqlType, type Value } from "../values.js";

export interface SlotColumn {
  type: KqlType;
  /** The cell of a row whose bag holds `v` in this slot (undefined: the slot is absent). */
  cell: (v: Dyn | undefined) => Value;
}

function slotType(v: Dyn): KqlType {
  if (typeof v === "string") return "string";
  if (typeof v === "boolean") return "bool";
  if (typeof v === "number") return Number.isInteger(v) ? "long" : "real";
  if (v instanceof DynScalar) return v.type as KqlType;
  return "dynamic";
}

const refuse = (what: string): never => {
  throw new KqlError("unsupported", `unsupported: bag_unpack without an output schema of ${what}`);
};

export function slotColumn(name: string, values: Iterable<Dyn | undefined>): SlotColumn {
  let type: KqlType | undefined;
  let mixed = false;
  for (const v of values) {
    if (v === null || v === undefined) continue;
    const t = slotType(v);
    if (type === undefined) type = t;
    else if (type !== t) mixed = true;
  }
  if (type === undefined) return refuse(`slot '${name}' holding only null values`);
  if (mixed || type === "dynamic") return { type: "dynamic", cell: (v) => (v === undefined ? null : v) };
  if (type === "string") return { type, cell: (v) => (typeof v === "string" ? v : "") };
  if (type === "long" || type === "real" || type === "bool") {
    return { type, cell: (v) => (v === undefined || v === null ? null : v instanceof DynScalar ? v.value : v) };
  }
  return refuse(`${type} slot '${name}'`);
}
