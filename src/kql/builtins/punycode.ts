// Punycode (RFC 3492) and its per-label IDNA use: punycode_from_string / punycode_to_string code one string;
// punycode_domain_to_string encodes every non-ASCII label of a domain as "xn--" + punycode, and
// punycode_domain_from_string decodes the "xn--" labels back. As the documented examples show, labels are coded as
// written — no case folding or nameprep ("xn--Ge-mia" decodes to "Gáe", "Lê Lợi" encodes to "xn--L Li-gpa4517b") —
// and the IDNA label separators 。．｡ become ".". Invalid input gives "" as documented.
import { KqlError } from "../api.js";
import { defineScalar } from "./registry.js";

const BASE = 36, TMIN = 1, TMAX = 26, SKEW = 38, DAMP = 700, INITIAL_BIAS = 72, INITIAL_N = 128;
const MAX_INT = 0x7fffffff;

function adapt(delta: number, numPoints: number, first: boolean): number {
  delta = first ? Math.floor(delta / DAMP) : delta >> 1;
  delta += Math.floor(delta / numPoints);
  let k = 0;
  for (; delta > ((BASE - TMIN) * TMAX) >> 1; k += BASE) delta = Math.floor(delta / (BASE - TMIN));
  return k + Math.floor(((BASE - TMIN + 1) * delta) / (delta + SKEW));
}

const digitChar = (d: number): string => String.fromCharCode(d < 26 ? 97 + d : 22 + d); // a-z, then 0-9

function digitValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 22; // 0-9 → 26..35
  if (c >= 65 && c <= 90) return c - 65; // A-Z
  if (c >= 97 && c <= 122) return c - 97; // a-z
  return BASE;
}

/** RFC 3492 encoding of a string's code points; null on overflow or a lone surrogate. */
export function punycodeEncode(input: string): string | null {
  const cps: number[] = [];
  for (const ch of input) {
    const cp = ch.codePointAt(0)!;
    if (cp >= 0xd800 && cp <= 0xdfff) return null;
    cps.push(cp);
  }
  let out = cps.filter((c) => c < 0x80).map((c) => String.fromCharCode(c)).join("");
  const basic = out.length;
  let h = basic;
  if (basic > 0) out += "-";
  let n = INITIAL_N, delta = 0, bias = INITIAL_BIAS;
  while (h < cps.length) {
    let m = MAX_INT;
    for (const c of cps) if (c >= n && c < m) m = c;
    if ((m - n) > Math.floor((MAX_INT - delta) / (h + 1))) return null;
    delta += (m - n) * (h + 1);
    n = m;
    for (const c of cps) {
      if (c < n && ++delta > MAX_INT) return null;
      if (c !== n) continue;
      let q = delta;
      for (let k = BASE; ; k += BASE) {
        const t = k <= bias ? TMIN : k >= bias + TMAX ? TMAX : k - bias;
        if (q < t) break;
        out += digitChar(t + ((q - t) % (BASE - t)));
        q = Math.floor((q - t) / (BASE - t));
      }
      out += digitChar(q);
      bias = adapt(delta, h + 1, h === basic);
      delta = 0;
      h++;
    }
    delta++;
    n++;
  }
  return out;
}

/** RFC 3492 decoding; null when the input is not valid punycode (non-ASCII, bad digit, overflow). */
export function punycodeDecode(input: string): string | null {
  if (/[^\x00-\x7f]/.test(input)) return null;
  const cut = input.lastIndexOf("-");
  const out: number[] = [];
  for (let j = 0; j < Math.max(cut, 0); j++) out.push(input.charCodeAt(j));
  let n = INITIAL_N, i = 0, bias = INITIAL_BIAS;
  for (let p = cut > 0 ? cut + 1 : 0; p < input.length;) {
    const oldi = i;
    let w = 1;
    for (let k = BASE; ; k += BASE) {
      if (p >= input.length) return null;
      const digit = digitValue(input.charCodeAt(p++));
      if (digit >= BASE || digit > Math.floor((MAX_INT - i) / w)) return null;
      i += digit * w;
      const t = k <= bias ? TMIN : k >= bias + TMAX ? TMAX : k - bias;
      if (digit < t) break;
      if (w > Math.floor(MAX_INT / (BASE - t))) return null;
      w *= BASE - t;
    }
    bias = adapt(i - oldi, out.length + 1, oldi === 0);
    if (Math.floor(i / (out.length + 1)) > MAX_INT - n) return null;
    n += Math.floor(i / (out.length + 1));
    i %= out.length + 1;
    if (n > 0x10ffff || (n >= 0xd800 && n <= 0xdfff)) return null;
    out.splice(i++, 0, n);
  }
  return String.fromCodePoint(...out);
}

/** IDNA label separators (full stop, ideographic full stop, fullwidth full stop, halfwidth ideographic full stop). */
const SEPARATORS = /[.\u3002\uff0e\uff61]/;
const MAX_LABEL = 63;

function domainToPunycode(domain: string): string {
  const labels: string[] = [];
  for (const label of domain.split(SEPARATORS)) {
    if (!/[^\x00-\x7f]/.test(label)) { labels.push(label); continue; }
    const code = punycodeEncode(label);
    if (code === null) return "";
    // Longer labels break DNS's limit; whether Kusto then fails or returns them is not documented.
    if (code.length + 4 > MAX_LABEL) throw new KqlError("unsupported", "unsupported: punycode_domain_to_string() of a label longer than 63 characters once encoded");
    labels.push("xn--" + code);
  }
  return labels.join(".");
}

function domainFromPunycode(domain: string): string {
  if (/[^\x00-\x7f]/.test(domain)) {
    throw new KqlError("unsupported", "unsupported: punycode_domain_from_string() of a domain with non-ASCII characters");
  }
  const labels: string[] = [];
  for (const label of domain.split(".")) {
    if (!/^xn--/i.test(label)) { labels.push(label); continue; }
    const text = punycodeDecode(label.slice(4));
    if (text === null) return "";
    labels.push(text);
  }
  return labels.join(".");
}

for (const [name, f] of [
  ["punycode_from_string", (s: string) => punycodeEncode(s) ?? ""],
  ["punycode_to_string", (s: string) => punycodeDecode(s) ?? ""],
  ["punycode_domain_to_string", domainToPunycode],
  ["punycode_domain_from_string", domainFromPunycode],
] as const) {
  defineScalar({
    name,
    nulls: "propagate",
    overloads: [{ params: ["string"], returns: "string", impl: ([s]) => f(s as string) }],
  });
}
