// buildschema(DynamicExpr): the minimal schema admitting every value (buildschema-aggregation-function.md). A
// property bag is a container of its properties in first-seen order, an array a container with the single
// property "`indexer`" for its elements, and several types at one place a union list. The documented example
// cannot tell whether a union lists its members in first-seen order or primitives alphabetically and containers
// last, so a union is answered only where both orders agree. Inputs the example does not cover are refused:
// bools, nulls, empty arrays, datetime/timespan/guid members, and a place that is an array in one value and a bag
// in another. Integral numbers are "long" and others "double", as in the example.
import { KqlError } from "../api.js";
import type { Dyn, Value } from "../values.js";
import { isWholeReal } from "../values.js";
import { defineAggregate } from "./registry.js";

interface Place {
  /** Union members in first-seen order: primitive type names, and "{}" for the container. */
  order: string[];
  container?: { array: boolean; props: Map<string, Place> };
}

const INDEXER = "`indexer`";
const DYN_DATETIME_TEXT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$/;
const DYN_TIMESPAN_TEXT = /^-?(?:\d+\.)?\d{2}:\d{2}:\d{2}(?:\.\d{7})?$/;

const refuse = (what: string): never => {
  throw new KqlError("unsupported", `unsupported: buildschema() of ${what}`);
};

function note(place: Place, member: string): void {
  if (!place.order.includes(member)) place.order.push(member);
}

function primitiveName(v: Dyn): string {
  if (typeof v === "number") return Number.isInteger(v) ? "long" : "double";
  if (isWholeReal(v)) return "double"; // a whole-valued real (values.ts)
  if (typeof v === "string") {
    if (DYN_DATETIME_TEXT.test(v) || DYN_TIMESPAN_TEXT.test(v)) refuse("datetime/timespan values in dynamic");
    return "string";
  }
  if (typeof v === "boolean") return refuse("bool values");
  if (v === null) return refuse("null members");
  return refuse("datetime/timespan/guid values in dynamic");
}

function add(place: Place, v: Dyn): void {
  const isArr = Array.isArray(v);
  const isBag = !isArr && v !== null && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype;
  if (!isArr && !isBag) { note(place, primitiveName(v)); return; }
  note(place, "{}");
  if (!place.container) place.container = { array: isArr, props: new Map() };
  if (place.container.array !== isArr) refuse("a place holding an array in one value and a bag in another");
  const props = place.container.props;
  const child = (k: string): Place => {
    let p = props.get(k);
    if (!p) { p = { order: [] }; props.set(k, p); }
    return p;
  };
  if (isArr) {
    if ((v as Dyn[]).length === 0) refuse("empty arrays");
    for (const e of v as Dyn[]) add(child(INDEXER), e);
  } else {
    for (const [k, x] of Object.entries(v as Record<string, Dyn>)) add(child(k), x);
  }
}

function render(place: Place): Dyn {
  const canonical = [...place.order.filter((m) => m !== "{}").sort(), ...place.order.filter((m) => m === "{}")];
  if (canonical.some((m, i) => m !== place.order[i])) refuse("values whose union order is not documented");
  const out = place.order.map((m): Dyn => {
    if (m !== "{}") return m;
    const bag: Record<string, Dyn> = {};
    for (const [k, p] of place.container!.props) bag[k] = render(p);
    return bag;
  });
  return out.length === 1 ? out[0]! : out;
}

defineAggregate({
  name: "buildschema",
  returns: "dynamic",
  create() {
    const root: Place = { order: [] };
    return {
      add(a: Value[]) {
        const v = a[0];
        if (v !== null && v !== undefined) add(root, v as Dyn);
      },
      // No values: null, the empty cell of summarize-operator.md's empty-input example (schema_x).
      result: () => (root.order.length === 0 ? null : render(root)),
    };
  },
});
