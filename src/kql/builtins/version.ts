// parse_version(): one to four dot-separated parts of up to eight digits, missing parts trailing zeros, as the
// decimal p1·10^24 + p2·10^16 + p3·10^8 + p4 (parse-version-function.md: "0.0.7.0" → 700,000,000). Anything else
// is null. The engine holds decimals as doubles, exact only up to 2^53, so a version whose value is larger —
// any with a non-zero first or second part — is refused rather than rounded (rounding would make 1.2.3.4 equal
// 1.2.3.5). A part with a sign or white space around its digits ("+1", " 2") is refused too: whether Kusto's
// number parsing accepts those is not documented.
import { KqlError } from "../api.js";
import { defineScalar } from "./registry.js";

const VERSION = /^(\d{1,8})(?:\.(\d{1,8}))?(?:\.(\d{1,8}))?(?:\.(\d{1,8}))?$/;
const PART = 100_000_000n;

const LENIENT_PART = /^\s*[+-]?\d+\s*$/;

export function parseVersion(text: string): number | null {
  if (text.split(".").some((p) => !/^\d+$/.test(p) && LENIENT_PART.test(p))) {
    throw new KqlError("unsupported", `unsupported: parse_version('${text}'): a part with a sign or white space`);
  }
  const m = VERSION.exec(text);
  if (!m) return null;
  let v = 0n;
  for (let i = 1; i <= 4; i++) v = v * PART + BigInt(m[i] ?? "0");
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new KqlError("unsupported", `unsupported: parse_version('${text}') = ${v} is beyond the engine's exact decimal range (2^53)`);
  }
  return Number(v);
}

defineScalar({
  name: "parse_version",
  nulls: "propagate",
  overloads: [{ params: ["string"], returns: "decimal", impl: ([s]) => parseVersion(s as string) }],
});
