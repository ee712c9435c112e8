// Conditional and null-testing builtins: iff/iif, case, coalesce, isnull/isnotnull, isempty/isnotempty, not,
// new_guid. All of them decide null handling themselves ("custom"): a null condition selects the else branch.
import type { KqlType, Value } from "../values.js";
import { defineScalar } from "./registry.js";
import { commonType, toCommon } from "./c2-util.js";

defineScalar({
  name: "iff",
  aliases: ["iif"],
  nulls: "custom",
  overloads: [{
    params: ["bool", "any", "any"],
    returns: (t) => commonType(t.slice(1)),
    impl: (a, _ctx, t) => {
      const to = commonType(t.slice(1));
      return a[0] === true ? toCommon(a[1]!, t[1]!, to) : toCommon(a[2]!, t[2]!, to);
    },
  }],
});

/** case(p1, v1, p2, v2, …, else): the value of the first true predicate, else the last argument. */
defineScalar({
  name: "case",
  nulls: "custom",
  overloads: [{
    params: ["bool", "any", "any"],
    variadic: true,
    returns: (t) => commonType(valueTypes(t)),
    impl: (a, _ctx, t) => {
      const to = commonType(valueTypes(t));
      for (let i = 0; i + 1 < a.length; i += 2) if (a[i] === true) return toCommon(a[i + 1]!, t[i + 1]!, to);
      return toCommon(a[a.length - 1]!, t[t.length - 1]!, to);
    },
  }],
});

function valueTypes(t: KqlType[]): KqlType[] {
  return t.filter((_, i) => i % 2 === 1 || i === t.length - 1);
}

const isNullValue = (v: Value, t: KqlType): boolean => t !== "string" && (v === null || v === undefined);
const isEmptyValue = (v: Value): boolean => v === null || v === undefined || v === "";

/** coalesce: first argument that is not null (not empty, for strings). */
defineScalar({
  name: "coalesce",
  nulls: "custom",
  overloads: [{
    params: ["any"],
    variadic: true,
    returns: (t) => commonType(t),
    impl: (a, _ctx, t) => {
      const to = commonType(t);
      for (let i = 0; i < a.length; i++) {
        const v = toCommon(a[i]!, t[i]!, to);
        if (to === "string" ? v !== "" : v !== null && v !== undefined) return v;
      }
      return to === "string" ? "" : null;
    },
  }],
});

// Strings are never null in Kusto: isnull("") is false, isempty("") is true (isnull/isempty docs).
defineScalar({
  name: "isnull",
  nulls: "custom",
  overloads: [{ params: ["any"], returns: "bool", impl: (a, _c, t) => isNullValue(a[0]!, t[0]!), specialize: (_k, t) => { const type = t[0]!; return (v) => isNullValue(v, type); } }],
});
defineScalar({
  name: "isnotnull",
  aliases: ["notnull"],
  nulls: "custom",
  overloads: [{ params: ["any"], returns: "bool", impl: (a, _c, t) => !isNullValue(a[0]!, t[0]!), specialize: (_k, t) => { const type = t[0]!; return (v) => !isNullValue(v, type); } }],
});
defineScalar({
  name: "isempty",
  nulls: "custom",
  overloads: [{ params: ["any"], returns: "bool", impl: (a) => isEmptyValue(a[0]!), specialize: () => (v) => isEmptyValue(v) }],
});
defineScalar({
  name: "isnotempty",
  aliases: ["notempty"],
  nulls: "custom",
  overloads: [{ params: ["any"], returns: "bool", impl: (a) => !isEmptyValue(a[0]!), specialize: () => (v) => !isEmptyValue(v) }],
});

defineScalar({
  name: "not",
  nulls: "propagate",
  overloads: [{ params: ["bool"], returns: "bool", impl: (a) => !(a[0] as boolean) }],
});

/** Version-4 GUID from the context's seeded random source, so runs with a seed repeat. */
defineScalar({
  name: "new_guid",
  nulls: "custom",
  volatile: true,
  overloads: [{
    params: [], returns: "guid",
    impl: (_a, ctx) => {
      const hex = Array.from({ length: 32 }, () => Math.floor(ctx.random() * 16));
      hex[12] = 4;
      hex[16] = 8 + (hex[16]! & 3);
      const s = hex.map((h) => h.toString(16)).join("");
      return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
    },
  }],
});
