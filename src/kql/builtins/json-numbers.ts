// Kusto's JSON reader types a number by the form of its literal: `2` is a long, `2.0`, `2e0` and `-0.0` are
// reals, and an integer literal beyond long's range is a real. JSON.parse yields the same double for `2` and `2.0`,
// so after it has validated a text, the rare texts holding such literals are read again here to tag them
// (values.ts dynReal). A text where no number-like token follows `[`, `:`, `,` or the start (a JSON number can
// only sit there) cannot hold one and skips all of this: that regex test is the only cost on the common path, and
// digits inside strings (IP addresses, versions) do not trigger the scan unless a string holds `, 1.5`-like text.
import { KqlError } from "../api.js";
import type { Dyn } from "../values.js";
import { DynScalar } from "../values.js";

/** A number token with a fraction or exponent, or of 16+ digits, where a JSON value may start. */
const MAY_NEED_TYPING = /(?:^|[[:,])\s*-?\d+(?:\.|[eE]|\d{15})/;

const LONG_MIN = -(2n ** 63n), LONG_MAX = 2n ** 63n - 1n, EXACT = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * `parsed` (JSON.parse of `text`) with whole-valued real literals and out-of-long-range integers tagged as reals.
 * An integer literal inside long's range but beyond ±(2^53 − 1) is refused: a double cannot hold it exactly.
 */
export function typeJsonNumbers(text: string, parsed: Dyn): Dyn {
  if (!MAY_NEED_TYPING.test(text) || !scanNumbers(text)) return parsed;
  return new TypedReader(text).read();
}

/** Kind of a number literal: "long" (plain number is right), "real" (tagged when whole). */
function literalKind(tok: string): "long" | "real" {
  if (/[.eE]/.test(tok)) return "real";
  if (tok.replace("-", "").length < 16) return "long";
  const b = BigInt(tok);
  if (b < LONG_MIN || b > LONG_MAX) return "real";
  if (b > EXACT || b < -EXACT) throw new KqlError("unsupported", "unsupported: JSON integer beyond the engine's exact range (±2^53)");
  return "long";
}

const NUMBER_TOKEN = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** True when some number literal outside strings is a whole-valued real (or an out-of-range integer). */
function scanNumbers(text: string): boolean {
  let found = false;
  for (let i = 0; i < text.length;) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) { i = stringEnd(text, i); continue; }
    if (c === 45 /* - */ || (c >= 48 && c <= 57)) {
      NUMBER_TOKEN.lastIndex = i;
      const tok = NUMBER_TOKEN.exec(text)![0];
      if (literalKind(tok) === "real" && Number.isInteger(Number(tok))) found = true; // keep scanning: refusals
      i += tok.length;
      continue;
    }
    i++;
  }
  return found;
}

/** Index just past the string literal opening at `i` (the text is valid JSON). */
export function stringEnd(text: string, i: number): number {
  let j = i + 1;
  for (;;) {
    const q = text.indexOf('"', j);
    let k = q - 1, backslashes = 0;
    while (text.charCodeAt(k) === 92) { backslashes++; k--; }
    if (backslashes % 2 === 0) return q + 1;
    j = q + 1;
  }
}

/** A recursive-descent reader over already validated JSON, building the same values with typed reals. */
class TypedReader {
  private i = 0;
  private backslash = -2;
  constructor(private readonly text: string) {}

  read(): Dyn {
    return this.value();
  }

  private ws(): void {
    const t = this.text;
    while (this.i < t.length && (t[this.i] === " " || t[this.i] === "\t" || t[this.i] === "\n" || t[this.i] === "\r")) this.i++;
  }

  private value(): Dyn {
    this.ws();
    const t = this.text, c = t[this.i]!;
    if (c === "{") {
      this.i++;
      const o: Record<string, Dyn> = {};
      this.ws();
      if (t[this.i] === "}") { this.i++; return o; }
      for (;;) {
        this.ws();
        const k = this.string();
        this.ws();
        this.i++; // ':'
        // defineProperty: "__proto__" is an ordinary member, as JSON.parse makes it.
        Object.defineProperty(o, k, { value: this.value(), enumerable: true, writable: true, configurable: true });
        this.ws();
        if (t[this.i++] === "}") return o;
      }
    }
    if (c === "[") {
      this.i++;
      const a: Dyn[] = [];
      this.ws();
      if (t[this.i] === "]") { this.i++; return a; }
      for (;;) {
        a.push(this.value());
        this.ws();
        if (t[this.i++] === "]") return a;
      }
    }
    if (c === '"') return this.string();
    if (t.startsWith("true", this.i)) { this.i += 4; return true; }
    if (t.startsWith("false", this.i)) { this.i += 5; return false; }
    if (t.startsWith("null", this.i)) { this.i += 4; return null; }
    NUMBER_TOKEN.lastIndex = this.i;
    const tok = NUMBER_TOKEN.exec(t)![0];
    this.i += tok.length;
    const n = Number(tok);
    return literalKind(tok) === "real" && Number.isInteger(n) ? new DynScalar("real", n) : n === 0 ? 0 : n;
  }

  private string(): string {
    const end = stringEnd(this.text, this.i);
    // The next backslash, found once per stretch (positions only grow): a string without one is its raw slice.
    if (this.backslash !== -1 && this.backslash < this.i) this.backslash = this.text.indexOf("\\", this.i);
    const escaped = this.backslash !== -1 && this.backslash < end;
    const s = escaped ? (JSON.parse(this.text.slice(this.i, end)) as string) : this.text.slice(this.i + 1, end - 1);
    this.i = end;
    return s;
  }
}
