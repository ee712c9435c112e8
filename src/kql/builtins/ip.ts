// IPv4/IPv6 builtins. Addresses may carry an IP-prefix (`10.0.0.0/8`); comparisons use the combined (smallest)
// prefix of both arguments and the optional prefix argument (ipv4-compare-function.md). Invalid addresses give
// null (bool/long results) or "" (string results), as documented per function.
import { KqlError } from "../api.js";
import type { Dyn, Value } from "../values.js";
import { defineScalar, type ScalarOverload } from "./registry.js";
import { withOptional } from "./c2-util.js";

// ---------- IPv4 ----------

interface V4 { addr: number; prefix: number }

const OCTET = "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
const V4_RE = new RegExp(`^${OCTET}\\.${OCTET}\\.${OCTET}\\.${OCTET}(?:/(\\d{1,2}))?$`);

function parseV4(s: string): V4 | null {
  const m = V4_RE.exec(s.trim());
  if (!m) {
    if (LEADING_ZERO_QUAD.test(s.trim())) throw leadingZeroRefusal(s.trim());
    return null;
  }
  const prefix = m[5] === undefined ? 32 : Number(m[5]);
  if (prefix > 32) return null;
  const addr = ((Number(m[1]) << 24) >>> 0) + (Number(m[2]) << 16) + (Number(m[3]) << 8) + Number(m[4]);
  return { addr, prefix };
}

/**
 * A dotted quad with a zero-padded octet (`010.1.2.3`): whether Kusto reads it as decimal (10), octal (8) or not
 * an address at all is not documented, and log sources do zero-pad addresses: refused rather than null.
 */
const LEADING_ZERO_QUAD = /^(?=(?:.*\.)?0\d)\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}(?:\/\d{1,2})?$/;
const leadingZeroRefusal = (s: string) =>
  new KqlError("unsupported", `unsupported: IPv4 address with a zero-padded octet ('${s}'): decimal or octal reading is not documented`);

const mask4 = (prefix: number): number => (prefix <= 0 ? 0 : prefix >= 32 ? 0xffffffff : (0xffffffff << (32 - prefix)) >>> 0);
const masked4 = (addr: number, prefix: number): number => (addr & mask4(prefix)) >>> 0;
const fmt4 = (a: number): string => [a >>> 24, (a >>> 16) & 255, (a >>> 8) & 255, a & 255].join(".");

function validPrefix(p: Value | undefined, max: number): number | null {
  if (p === undefined) return max;
  if (typeof p !== "number" || !Number.isInteger(p) || p < 0 || p > max) return null;
  return p;
}

/** -1/0/1 comparison of two IPv4 strings under their combined prefix; null when either is invalid. */
function compare4(a: string, b: string, prefixArg?: Value | undefined): number | null {
  const x = parseV4(a), y = parseV4(b);
  const p = validPrefix(prefixArg, 32);
  if (!x || !y || p === null) return null;
  const prefix = Math.min(x.prefix, y.prefix, p);
  const u = masked4(x.addr, prefix), v = masked4(y.addr, prefix);
  return u < v ? -1 : u > v ? 1 : 0;
}

/** ipvN_compare, ipvN_is_match and ipvN_is_in_range share one comparison (optional prefix length). */
function defineIpComparisons(v: 4 | 6, compare: (a: string, b: string, prefix?: Value) => number | null): void {
  defineScalar({
    name: `ipv${v}_compare`,
    nulls: "propagate",
    overloads: withOptional(["string", "string", "long"], 1, "long", (a) => compare(a[0] as string, a[1] as string, a[2])),
  });
  defineScalar({
    name: `ipv${v}_is_match`,
    nulls: "propagate",
    overloads: withOptional(["string", "string", "long"], 1, "bool", (a) => {
      const c = compare(a[0] as string, a[1] as string, a[2]);
      return c === null ? null : c === 0;
    }),
  });
  defineScalar({
    name: `ipv${v}_is_in_range`,
    nulls: "propagate",
    overloads: [{
      params: ["string", "string"], returns: "bool",
      impl: (a) => { const c = compare(a[0] as string, a[1] as string); return c === null ? null : c === 0; },
    }],
  });
}

defineIpComparisons(4, compare4);

/** Range lists come as several string arguments or one dynamic array of strings. */
function rangeList(a: Value[]): string[] {
  if (a.length === 2 && Array.isArray(a[1])) return (a[1] as Dyn[]).filter((r): r is string => typeof r === "string");
  return a.slice(1).filter((r): r is string => typeof r === "string");
}

function anyRange(name: string, test: (ip: string, range: string) => boolean | null): void {
  defineScalar({
    name,
    nulls: "propagate",
    overloads: [
      { params: ["string", "dynamic"], returns: "bool", impl: (a) => anyOf(a, test) },
      { params: ["string", "string"], variadic: true, returns: "bool", impl: (a) => anyOf(a, test) },
    ],
  });
}

/**
 * ipv4/ipv6_is_in_any_range: true when a range holds the address, false when none does, null when nothing
 * converts (the pages: "null: If conversion for one of the two IPv4 strings wasn't successful"). A list mixing
 * valid and invalid ranges (or non-string elements) is a case the pages leave open: refused.
 */
function anyOf(a: Value[], test: (ip: string, range: string) => boolean | null): boolean | null {
  const ip = a[0] as string;
  const list = a.length === 2 && Array.isArray(a[1]) ? (a[1] as Dyn[]) : a.slice(1);
  const outcomes = list.map((r) => (typeof r === "string" ? test(ip, r) : null));
  if (outcomes.length > 0 && !outcomes.includes(null)) return outcomes.includes(true);
  if (outcomes.length > 0 && outcomes.every((t) => t === null)) return null;
  throw new KqlError("unsupported", "unsupported: an empty any-range list, or one mixing valid and unconvertible ranges (undocumented)");
}

anyRange("ipv4_is_in_any_range", (ip, r) => { const c = compare4(ip, r); return c === null ? null : c === 0; });

// Private ranges of RFC 1918 (ipv4-is-private-function.md).
const PRIVATE4: V4[] = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"].map((r) => parseV4(r)!);

defineScalar({
  name: "ipv4_is_private",
  nulls: "propagate",
  overloads: [{
    params: ["string"], returns: "bool",
    impl: (a) => {
      const x = parseV4(a[0] as string);
      if (!x) return null;
      return PRIVATE4.some((r) => masked4(x.addr, r.prefix) === r.addr);
    },
  }],
});

defineScalar({
  name: "parse_ipv4",
  nulls: "propagate",
  overloads: [{ params: ["string"], returns: "long", impl: (a) => { const x = parseV4(a[0] as string); return x && masked4(x.addr, x.prefix); } }],
});

defineScalar({
  name: "parse_ipv4_mask",
  nulls: "propagate",
  overloads: [{
    params: ["string", "long"], returns: "long",
    impl: (a) => {
      const x = parseV4(a[0] as string), p = validPrefix(a[1], 32);
      return x && p !== null ? masked4(x.addr, Math.min(x.prefix, p)) : null;
    },
  }],
});

defineScalar({
  name: "ipv4_netmask_suffix",
  nulls: "propagate",
  overloads: [{ params: ["string"], returns: "long", impl: (a) => parseV4(a[0] as string)?.prefix ?? null }],
});

/** An IPv4 given as text (optionally with a prefix) or as its long value. */
function v4Of(v: Value): V4 | null {
  if (typeof v === "string") return parseV4(v);
  if (typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= 0xffffffff) return { addr: v, prefix: 32 };
  return null;
}

defineScalar({
  name: "format_ipv4",
  nulls: "propagate",
  overloads: withOptional(["scalar", "long"], 1, "string", (a) => {
    const x = v4Of(a[0]!), p = validPrefix(a[1], 32);
    return x && p !== null ? fmt4(masked4(x.addr, Math.min(x.prefix, p))) : "";
  }),
});

defineScalar({
  name: "format_ipv4_mask",
  nulls: "propagate",
  overloads: withOptional(["scalar", "long"], 1, "string", (a) => {
    const x = v4Of(a[0]!), p = validPrefix(a[1], 32);
    if (!x || p === null) return "";
    const prefix = Math.min(x.prefix, p);
    return `${fmt4(masked4(x.addr, prefix))}/${prefix}`;
  }),
});

// ---------- IPv4 addresses inside text ----------

const V4_IN_TEXT = /\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}/g;

/**
 * IPv4 addresses appearing in text, delimited by non-alphanumeric characters (has-ipv4-function.md); a dot
 * continuing the digits (`1.2.3.4.5`) also disqualifies the match.
 */
function addressesIn(text: string): number[] {
  const out: number[] = [];
  const isAlnum = (c: string | undefined) => c !== undefined && /[A-Za-z0-9]/.test(c);
  const isDigit = (c: string | undefined) => c !== undefined && c >= "0" && c <= "9";
  for (const m of text.matchAll(V4_IN_TEXT)) {
    const start = m.index!, end = start + m[0].length;
    const before = text[start - 1], after = text[end];
    if (isAlnum(before) || isAlnum(after)) continue;
    if ((before === "." && isDigit(text[start - 2])) || (after === "." && isDigit(text[end + 1]))) continue;
    const x = parseV4(m[0]);
    if (x) out.push(x.addr);
  }
  return out;
}

/** A has_ipv4_prefix prefix: 1–3 leading octets each followed by a dot, or a full address. */
function parseV4Prefix(p: string): { addr: number; bits: number } | null {
  const full = parseV4(p);
  if (full && !p.includes("/")) return { addr: full.addr, bits: 32 };
  const m = new RegExp(`^${OCTET}\\.(?:${OCTET}\\.)?(?:${OCTET}\\.)?$`).exec(p);
  if (!m) return null;
  const octets = p.split(".").filter((s) => s !== "").map(Number);
  let addr = 0;
  for (let i = 0; i < 4; i++) addr = addr * 256 + (octets[i] ?? 0);
  return { addr, bits: octets.length * 8 };
}

function textMatcher(name: string, many: boolean, parse: (s: string) => { addr: number; bits: number } | null): void {
  const test = (text: string, needles: string[]): boolean => {
    const targets = needles.map(parse).filter((x): x is { addr: number; bits: number } => x !== null);
    if (targets.length === 0) return false;
    return addressesIn(text).some((a) => targets.some((t) => masked4(a, t.bits) === t.addr));
  };
  const overloads: ScalarOverload[] = many
    ? [
        { params: ["string", "dynamic"], returns: "bool", impl: (a) => test(a[0] as string, rangeList(a)) },
        { params: ["string", "string"], variadic: true, returns: "bool", impl: (a) => test(a[0] as string, rangeList(a)) },
      ]
    : [{ params: ["string", "string"], returns: "bool", impl: (a) => test(a[0] as string, [a[1] as string]) }];
  defineScalar({ name, nulls: "propagate", overloads });
}

const exactAddress = (s: string) => { const x = parseV4(s); return x && !s.includes("/") ? { addr: x.addr, bits: 32 } : null; };
textMatcher("has_ipv4", false, exactAddress);
textMatcher("has_any_ipv4", true, exactAddress);
textMatcher("has_ipv4_prefix", false, parseV4Prefix);
textMatcher("has_any_ipv4_prefix", true, parseV4Prefix);

// ---------- IPv6 ----------

interface V6 { addr: bigint; prefix: number }

const ALL128 = (1n << 128n) - 1n;

/** IPv6 text (with `::`, embedded IPv4 tail, optional /prefix) or IPv4 text mapped to ::ffff:a.b.c.d. */
function parseV6(text: string): V6 | null {
  const s = text.trim();
  // IPv4 text, and IPv4 written as "::a.b.c.d" or "::ffff:a.b.c.d", map to ::ffff:a.b.c.d; their prefix counts
  // IPv4 bits (parse-ipv6-mask-function.md: '::192.168.255.255/24' uses 120 bits).
  const v4 = parseV4(s.replace(/^::(?:ffff:)?(?=\d+\.)/i, ""));
  if (v4) return { addr: (0xffffn << 32n) | BigInt(v4.addr), prefix: 96 + v4.prefix };
  const m = /^([0-9A-Fa-f:.]+)(?:\/(\d{1,3}))?$/.exec(s);
  if (!m) return null;
  const prefix = m[2] === undefined ? 128 : Number(m[2]);
  if (prefix > 128) return null;
  let body = m[1]!;
  let tail: number[] = [];
  const lastColon = body.lastIndexOf(":");
  if (body.includes(".")) {
    const x = parseV4(body.slice(lastColon + 1));
    if (!x || x.prefix !== 32) return null;
    tail = [x.addr >>> 16, x.addr & 0xffff];
    body = body.slice(0, lastColon);
    if (body.endsWith(":")) body += ":"; // "::1.2.3.4" keeps its "::"
  }
  const halves = body.split("::");
  if (halves.length > 2) return null;
  const group = (p: string) => (p === "" ? [] : p.split(":"));
  const head = group(halves[0]!), rest = halves.length === 2 ? group(halves[1]!) : [];
  const hex = /^[0-9A-Fa-f]{1,4}$/;
  if (![...head, ...rest].every((g) => hex.test(g))) return null;
  const n = head.length + rest.length + tail.length;
  if (halves.length === 1 ? n !== 8 : n > 7) return null;
  const groups = [
    ...head.map((g) => parseInt(g, 16)),
    ...Array.from({ length: 8 - n }, () => 0),
    ...rest.map((g) => parseInt(g, 16)),
    ...tail,
  ];
  if (groups.length !== 8) return null;
  let addr = 0n;
  for (const g of groups) addr = (addr << 16n) | BigInt(g);
  return { addr, prefix };
}

const mask6 = (prefix: number): bigint => (prefix <= 0 ? 0n : (ALL128 << BigInt(128 - Math.min(prefix, 128))) & ALL128);
const fmt6 = (a: bigint): string =>
  Array.from({ length: 8 }, (_, i) => ((a >> BigInt(112 - 16 * i)) & 0xffffn).toString(16).padStart(4, "0")).join(":");

function compare6(a: string, b: string, prefixArg?: Value | undefined): number | null {
  const x = parseV6(a), y = parseV6(b);
  // Two IPv4 arguments take the prefix argument as IPv4 bits (ipv6-compare-function.md: "31 bit IP4-prefix").
  const bothV4 = parseV4(a) !== null && parseV4(b) !== null;
  const p = validPrefix(prefixArg, bothV4 ? 32 : 128);
  if (!x || !y || p === null) return null;
  const m = mask6(Math.min(x.prefix, y.prefix, bothV4 && prefixArg !== undefined ? p + 96 : p));
  const u = x.addr & m, v = y.addr & m;
  return u < v ? -1 : u > v ? 1 : 0;
}

defineScalar({
  name: "parse_ipv6",
  nulls: "propagate",
  overloads: [{ params: ["string"], returns: "string", impl: (a) => { const x = parseV6(a[0] as string); return x ? fmt6(x.addr & mask6(x.prefix)) : ""; } }],
});

// parse_ipv6_mask: the explicit prefix always counts IPv6 bits (0–128), also for IPv4 input.
defineScalar({
  name: "parse_ipv6_mask",
  nulls: "propagate",
  overloads: [{
    params: ["string", "long"], returns: "string",
    impl: (a) => {
      const x = parseV6(a[0] as string), p = validPrefix(a[1], 128);
      return x && p !== null ? fmt6(x.addr & mask6(Math.min(x.prefix, p))) : "";
    },
  }],
});

defineIpComparisons(6, compare6);

anyRange("ipv6_is_in_any_range", (ip, r) => { const c = compare6(ip, r); return c === null ? null : c === 0; });

// ---------- ipv4_range_to_cidr_list ----------

defineScalar({
  name: "ipv4_range_to_cidr_list",
  nulls: "propagate",
  overloads: [{
    params: ["string", "string"], returns: "dynamic",
    impl: (a) => {
      const x = parseV4(a[0] as string), y = parseV4(a[1] as string);
      if (!x || !y || x.prefix !== 32 || y.prefix !== 32) return null;
      let lo = x.addr;
      const hi = y.addr;
      if (lo > hi) return null;
      const out: string[] = [];
      // Largest aligned block that starts at lo and stays within hi, repeatedly.
      while (lo <= hi) {
        let size = 32;
        while (size > 0) {
          const bits = 32 - (size - 1);
          const block = 2 ** bits;
          if (lo % block !== 0 || lo + block - 1 > hi) break;
          size--;
        }
        out.push(`${fmt4(lo)}/${size}`);
        lo += 2 ** (32 - size);
      }
      return out;
    },
  }],
});
