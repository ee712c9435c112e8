// Math builtins. Reals are IEEE doubles as in Kusto; integral results are checked to stay exact (values.ts).
// Domain errors follow the docs: log*/sqrt of a negative number → null (log-function.md, sqrt-function.md).
// Logarithms, exponentials, pow and trigonometry are correctly rounded (c2-precise.ts), as Kusto's C runtime results are.
import { KqlError } from "../api.js";
import type { KqlType, Value } from "../values.js";
import { defineScalar, type ScalarOverload } from "./registry.js";
import { commonType, compareScalars, exactLong, toCommon, withOptional } from "./c2-util.js";
import "./c2-series.js";
import {
  preciseAcos, preciseAsin, preciseAtan, preciseAtan2, preciseCos, preciseExp, preciseLn, preciseLog10, preciseLog2,
  precisePow, preciseSin, preciseTan,
} from "./c2-precise.js";

const unary = (name: string, f: (x: number) => number | null, aliases?: string[]) =>
  defineScalar({
    name, aliases, nulls: "propagate",
    overloads: [{ params: ["real"], returns: "real", impl: (a) => f(a[0] as number) }],
  });

const nonNegative = (f: (x: number) => number) => (x: number) => (x < 0 ? null : f(x));

unary("sqrt", nonNegative(Math.sqrt));
unary("log", nonNegative(preciseLn));
unary("log10", nonNegative(preciseLog10));
unary("log2", nonNegative(preciseLog2));
unary("exp", preciseExp);
unary("exp2", (x) => precisePow(2, x));
unary("exp10", (x) => precisePow(10, x));
unary("cos", preciseCos);
unary("sin", preciseSin);
unary("tan", preciseTan);
// acos/asin pages: "null if x < -1 or x > 1" (the C library, like JavaScript, gives NaN). NaN itself is neither,
// and its result is undocumented: refused.
const unitDomain = (name: string, f: (x: number) => number) => (x: number) => {
  if (Number.isNaN(x)) throw new KqlError("unsupported", `unsupported: ${name}() of NaN (null or NaN: undocumented)`);
  return x < -1 || x > 1 ? null : f(x);
};
unary("acos", unitDomain("acos", preciseAcos));
unary("asin", unitDomain("asin", preciseAsin));
unary("atan", preciseAtan);
// cot is 1 / tan(x) rounded twice: cot-function.md shows cot(1) = 0.64209261593433065, not the correctly
// rounded …308.
unary("cot", (x) => 1 / preciseTan(x));
unary("degrees", (x) => (180 / Math.PI) * x);
unary("radians", (x) => (Math.PI / 180) * x);
unary("sign", (x) => (Number.isNaN(x) ? NaN : x > 0 ? 1 : x < 0 ? -1 : 0));

defineScalar({
  name: "atan2",
  nulls: "propagate",
  overloads: [{ params: ["real", "real"], returns: "real", impl: (a) => preciseAtan2(a[0] as number, a[1] as number) }],
});

defineScalar({
  name: "pow",
  nulls: "propagate",
  overloads: [{ params: ["real", "real"], returns: "real", impl: (a) => precisePow(a[0] as number, a[1] as number) }],
});

defineScalar({ name: "pi", nulls: "propagate", overloads: [{ params: [], returns: "real", impl: () => Math.PI }] });

// isnan/isinf/isfinite pages: "true if … and false otherwise", which reads as false for null, where the registry's
// rule (and most Kusto functions) would give null: a null argument is refused.
const realTest = (name: string, f: (x: number) => boolean) =>
  defineScalar({
    name,
    nulls: "custom",
    overloads: [{
      params: ["real"], returns: "bool",
      impl: (a) => {
        if (a[0] === null) throw new KqlError("unsupported", `unsupported: ${name}() of null (the page's "false otherwise" or null: undocumented)`);
        return f(a[0] as number);
      },
    }],
  });
realTest("isnan", Number.isNaN);
realTest("isinf", (x) => x === Infinity || x === -Infinity);
realTest("isfinite", Number.isFinite);

defineScalar({
  name: "abs",
  nulls: "propagate",
  overloads: [
    { params: ["integral"], returns: "long", impl: (a) => Math.abs(a[0] as number) },
    { params: ["timespan"], returns: "timespan", impl: (a) => { const t = a[0] as bigint; return t < 0n ? -t : t; } },
    { params: ["numeric"], returns: (t) => t[0]!, impl: (a) => Math.abs(a[0] as number) },
  ],
});

/** Half away from zero at the given number of decimal digits (round-function.md: round(2.15, 1) = 2.2). */
function roundTo(x: number, digits: number): number {
  if (!Number.isFinite(x)) return x;
  const away = (v: number) => Math.sign(v) * Math.round(Math.abs(v));
  if (digits >= 0) {
    const f = 10 ** digits;
    const r = away(x * f) / f;
    return Number.isFinite(r) ? r : x;
  }
  const f = 10 ** -digits;
  return away(x / f) * f;
}

defineScalar({
  name: "round",
  nulls: "propagate",
  overloads: withOptional(["numeric", "long"], 1, (t) => t[0]!, (a, _c, t) => {
    const r = roundTo(a[0] as number, Math.trunc((a[1] as number | undefined) ?? 0));
    return t[0] === "int" || t[0] === "long" ? exactLong(r, "round") : r;
  }),
});

defineScalar({
  name: "ceiling",
  nulls: "propagate",
  overloads: [{ params: ["numeric"], returns: (t) => t[0]!, impl: (a) => Math.ceil(a[0] as number) }],
});

// rand() → [0, 1); rand(N) → an integer in [0, N) (rand-function.md); seeded through the evaluation context.
defineScalar({
  name: "rand",
  nulls: "propagate",
  volatile: true,
  overloads: withOptional(["long"], 1, "real", (a, ctx) => {
    const r = ctx.random();
    if (a.length === 0) return r;
    const n = a[0] as number;
    // rand-function.md: a value "from the set {0.0, 1.0, ..., N - 1}"; for N < 1 that set is empty and the
    // answer (null, 0, an error) is undocumented: refused.
    if (!(n >= 1)) throw new KqlError("unsupported", `unsupported: rand(${n}) (N < 1: the documented set {0.0, …, N - 1} is empty)`);
    return Math.floor(r * n);
  }),
});

// ---------- min_of / max_of ----------

// Non-null arguments take precedence over nulls (min-of-function.md); all null → null.
function extremeOf(name: string, sign: 1 | -1): void {
  defineScalar({
    name,
    nulls: "custom",
    overloads: [{
      params: ["any"], variadic: true,
      returns: (t) => commonType(t),
      impl: (a, _c, t) => {
        const to = commonType(t);
        let best: Value = null;
        for (let i = 0; i < a.length; i++) {
          const v = toCommon(a[i]!, t[i]!, to);
          if (v === null || v === undefined) continue;
          if (best === null || compareScalars(v, best) * sign > 0) best = v;
        }
        return best === null && to === "string" ? "" : best;
      },
    }],
  });
}
extremeOf("max_of", 1);
extremeOf("min_of", -1);

// ---------- bitwise (64-bit two's complement, as Kusto's long) ----------

const big = (v: Value): bigint => BigInt.asIntN(64, BigInt(Math.trunc(v as number)));
const fromBig = (b: bigint, name: string): number => exactLong(Number(BigInt.asIntN(64, b)), name);

function bitwise(name: string, arity: 1 | 2, f: (a: bigint, b: bigint) => bigint | null): void {
  const params: KqlType[] = arity === 1 ? ["long"] : ["long", "long"];
  const ov: ScalarOverload = {
    params, returns: "long",
    impl: (a) => { const r = f(big(a[0]!), arity === 2 ? big(a[1]!) : 0n); return r === null ? null : fromBig(r, name); },
  };
  defineScalar({ name, nulls: "propagate", overloads: [ov] });
}
bitwise("binary_and", 2, (a, b) => a & b);
bitwise("binary_or", 2, (a, b) => a | b);
bitwise("binary_xor", 2, (a, b) => a ^ b);
bitwise("binary_not", 1, (a) => ~a);
// binary-shift-left/right-function.md: "value << (shift%64). If n is negative, a NULL value is returned" (n is
// the shift: the function list writes the operations as a << n, a >> n).
bitwise("binary_shift_left", 2, (a, b) => (b < 0n ? null : a << (b & 63n)));
bitwise("binary_shift_right", 2, (a, b) => (b < 0n ? null : a >> (b & 63n)));

defineScalar({
  name: "bitset_count_ones",
  nulls: "propagate",
  overloads: [{
    params: ["long"], returns: "long",
    impl: (a) => {
      let b = BigInt.asUintN(64, big(a[0]!));
      let n = 0;
      while (b) { n += Number(b & 1n); b >>= 1n; }
      return n;
    },
  }],
});

// ---------- around ----------

// around(value, center, delta): center − delta ≤ value ≤ center + delta (around-function.md); null → null.
defineScalar({
  name: "around",
  nulls: "propagate",
  overloads: [
    { params: ["datetime", "datetime", "timespan"], returns: "bool", impl: (a) => aroundBig(a) },
    { params: ["timespan", "timespan", "timespan"], returns: "bool", impl: (a) => aroundBig(a) },
    {
      params: ["numeric", "numeric", "numeric"], returns: "bool",
      impl: (a) => { const [v, c, d] = a as number[]; return v! >= c! - d! && v! <= c! + d!; },
    },
  ],
});

function aroundBig(a: Value[]): boolean {
  const [v, c, d] = a as bigint[];
  return v! >= c! - d! && v! <= c! + d!;
}
