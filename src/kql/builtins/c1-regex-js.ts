// Fast path for RE2 patterns: translates the common, unambiguous subset of RE2 syntax into an equivalent
// JavaScript RegExp (unicode mode, so `.` and classes see code points and `i` uses Unicode simple case folding
// like RE2), which V8 compiles to native code — about 10x faster than re2js on typical Sentinel patterns.
// Anything outside the subset returns undefined and re2js is used. The pattern has always been validated by
// re2js first, so only valid RE2 reaches this translator.
//
// Equivalences relied on (checked by the differential tests in test/kql/builtins/c1-regex.test.ts):
//  - RE2 `.` is "any code point but \n"; JS `.` also excludes \r, U+2028, U+2029 → emitted as [^\n].
//  - RE2 \d \w \s are ASCII ([0-9], [0-9A-Za-z_], [\t\n\f\r ]); emitted as explicit classes.
//  - `^`/`$` without (?m) mean start/end of text in both. (?m), (?U), scoped or mid-pattern flags → fallback.
//  - Leftmost-first alternation and greedy/lazy quantifiers pick the same match as RE2 (Perl semantics).
//  - Repetition of something that can match the empty string differs: JS rejects an empty optional iteration
//    and resets captures inside a repeated group on every iteration, RE2 does neither. Neither changes *whether*
//    a text matches, only which match / which capture values are reported, so patterns with a repeated group
//    whose body can match empty, a capture inside a repeated group, or a capture repeated with a zero minimum
//    use the fast path for test() only (found by fuzzing both engines against each other).

export interface JsTranslation {
  re: RegExp;
  /** False when the match reported (position or capture values) could differ from RE2's; test() is always exact. */
  capturesExact: boolean;
}

const WORD = "0-9A-Za-z_";
const SPACE = "\\t\\n\\f\\r ";
const DIGIT = "0-9";
const POSIX: Record<string, string> = {
  alnum: "0-9A-Za-z", alpha: "A-Za-z", ascii: "\\x00-\\x7f", blank: "\\t ", cntrl: "\\x00-\\x1f\\x7f",
  digit: "0-9", graph: "!-~", lower: "a-z", print: " -~", punct: "!-\\/:-@\\[-`{-~", space: "\\t\\n\\v\\f\\r ",
  upper: "A-Z", word: "0-9A-Za-z_", xdigit: "0-9A-Fa-f",
};
// Characters that must be escaped to be literal in a JS unicode-mode pattern (outside / inside a class).
const JS_SYNTAX = new Set([..."^$\\.*+?()[]{}|/"]);
const JS_CLASS_SYNTAX = new Set([..."\\]^-["]);

class Unsupported extends Error {}

function literal(ch: string, inClass: boolean): string {
  const cp = ch.codePointAt(0)!;
  if (cp < 0x20 || cp === 0x7f) return `\\x${cp.toString(16).padStart(2, "0")}`;
  if ((inClass ? JS_CLASS_SYNTAX : JS_SYNTAX).has(ch)) return `\\${ch}`;
  return ch;
}

/** Translates an RE2 pattern; undefined when it uses anything outside the supported subset. */
export function translateRe2(pattern: string): JsTranslation | undefined {
  try {
    return new Translator(pattern).run();
  } catch (e) {
    if (e instanceof Unsupported) return undefined;
    throw e;
  }
}

interface Group {
  capturing: boolean;
  hasCapture: boolean;
  /** Whether the alternative being read so far can match the empty string. */
  altNullable: boolean;
  /** Whether some finished alternative can match the empty string. */
  anyAltNullable: boolean;
}

class Translator {
  private i = 0;
  private out = "";
  private flags = "u";
  private dotAll = false;
  private capturesExact = true;
  private readonly groups: Group[] = [];
  /** Bookkeeping for the top level (outside any group). */
  private readonly top: Group = { capturing: false, hasCapture: false, altNullable: true, anyAltNullable: false };

  private current(): Group {
    return this.groups[this.groups.length - 1] ?? this.top;
  }

  /** Records an item of the current alternative and whether it can match the empty string. */
  private item(nullable: boolean): void {
    const g = this.current();
    g.altNullable = g.altNullable && nullable;
  }
  private readonly chars: string[];

  constructor(pattern: string) {
    this.chars = Array.from(pattern);
  }

  run(): JsTranslation {
    this.leadingFlags();
    while (this.i < this.chars.length) this.atomOrOperator();
    if (this.groups.length) throw new Unsupported();
    if (this.flags.includes("i") && /\\[bB]/.test(this.out)) throw new Unsupported(); // \b + /iu folds ſ/K
    return { re: new RegExp(this.out, this.flags), capturesExact: this.capturesExact };
  }

  private peek(k = 0): string | undefined {
    return this.chars[this.i + k];
  }

  /** Only a leading (?flags) group of i and s is accepted; it applies to the whole pattern. */
  private leadingFlags(): void {
    const m = /^\(\?([a-zA-Z]+)\)/.exec(this.chars.slice(0, 12).join(""));
    if (!m) return;
    for (const f of m[1]!) {
      if (f === "i") this.flags += this.flags.includes("i") ? "" : "i";
      else if (f === "s") this.dotAll = true;
      else throw new Unsupported();
    }
    this.i += Array.from(m[0]).length;
  }

  private atomOrOperator(): void {
    const c = this.chars[this.i]!;
    switch (c) {
      case "(": this.openGroup(); return;
      case ")": this.closeGroup(); return;
      case "|": {
        const g = this.current();
        g.anyAltNullable ||= g.altNullable;
        g.altNullable = true;
        this.out += "|"; this.i++;
        return;
      }
      case "^": this.out += "^"; this.i++; return;
      case "$": this.out += "$"; this.i++; return;
      case ".": this.out += this.dotAll ? "[^]" : "[^\\n]"; this.i++; this.item(this.quantifier(false) === "min0"); return;
      case "[": this.cls(); this.item(this.quantifier(false) === "min0"); return;
      case "\\": this.escape(); return;
      case "*": case "+": case "?": case "{":
        // A quantifier with nothing to repeat; RE2 accepts a few of these as literals — leave them to re2js.
        throw new Unsupported();
      default:
        this.out += literal(c, false);
        this.i++;
        this.item(this.quantifier(false) === "min0");
    }
  }

  private openGroup(): void {
    this.i++;
    let capturing = true;
    if (this.peek() === "?") {
      const rest = this.chars.slice(this.i, this.i + 3).join("");
      if (rest.startsWith("?:")) { capturing = false; this.out += "(?:"; this.i += 2; }
      else if (rest.startsWith("?P<") || rest.startsWith("?<")) {
        this.i += rest.startsWith("?P<") ? 3 : 2;
        let name = "";
        while (this.peek() !== ">" && this.i < this.chars.length) name += this.chars[this.i++];
        this.i++;
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Unsupported();
        this.out += `(?<${name}>`;
      } else {
        throw new Unsupported(); // flags groups, (?i:…), (?U) …
      }
    } else {
      this.out += "(";
    }
    if (capturing) for (const g of this.groups) g.hasCapture = true;
    this.groups.push({ capturing, hasCapture: false, altNullable: true, anyAltNullable: false });
  }

  private closeGroup(): void {
    const g = this.groups.pop();
    if (!g) throw new Unsupported();
    this.out += ")";
    this.i++;
    const bodyNullable = g.anyAltNullable || g.altNullable;
    const quantified = this.quantifier(true);
    if (quantified && (g.hasCapture || bodyNullable)) this.capturesExact = false;
    if (quantified === "min0" && g.capturing) this.capturesExact = false;
    this.item(bodyNullable || quantified === "min0");
  }

  /** Copies a following quantifier (with lazy `?`); returns "min0" / "min1" when there was one. */
  private quantifier(_afterGroup: boolean): "min0" | "min1" | undefined {
    const c = this.peek();
    let kind: "min0" | "min1" | undefined;
    if (c === "*" || c === "?") { this.out += c; this.i++; kind = "min0"; }
    else if (c === "+") { this.out += c; this.i++; kind = "min1"; }
    else if (c === "{") {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.chars.slice(this.i, this.i + 16).join(""));
      if (!m) throw new Unsupported(); // RE2 treats other braces as literals
      this.out += m[0];
      this.i += m[0].length;
      kind = Number(m[1]) === 0 ? "min0" : "min1";
    }
    if (!kind) return undefined;
    if (this.peek() === "?") { this.out += "?"; this.i++; }
    const n = this.peek();
    if (n === "*" || n === "+" || n === "?" || n === "{") throw new Unsupported(); // stacked repetition
    return kind;
  }

  private escape(): void {
    const n = this.peek(1);
    if (n === undefined) throw new Unsupported();
    this.i += 2;
    switch (n) {
      case "d": this.out += `[${DIGIT}]`; break;
      case "D": this.out += `[^${DIGIT}]`; break;
      case "w": this.out += `[${WORD}]`; break;
      case "W": this.out += `[^${WORD}]`; break;
      case "s": this.out += `[${SPACE}]`; break;
      case "S": this.out += `[^${SPACE}]`; break;
      case "b": this.out += "\\b"; return; // assertions take no quantifier and match empty
      case "B": this.out += "\\B"; return;
      case "A": this.out += "^"; return;
      case "z": this.out += "$"; return;
      default: this.out += this.escapedChar(n, false);
    }
    this.item(this.quantifier(false) === "min0");
  }

  /** \t \n \r \f \v \xHH \x{H…} and escaped punctuation; anything else (octal, \p, \Q, \C…) → fallback. */
  private escapedChar(n: string, inClass: boolean): string {
    switch (n) {
      case "t": return "\\t";
      case "n": return "\\n";
      case "r": return "\\r";
      case "f": return "\\f";
      case "v": return "\\v";
      case "x": {
        const rest = this.chars.slice(this.i, this.i + 10).join("");
        const m = /^\{([0-9A-Fa-f]{1,6})\}/.exec(rest) ?? /^([0-9A-Fa-f]{2})/.exec(rest);
        if (!m) throw new Unsupported();
        this.i += m[0].length;
        return literal(String.fromCodePoint(parseInt(m[1]!, 16)), inClass);
      }
    }
    if (/[!-\/:-@\[-`{-~]/.test(n)) return literal(n, inClass);
    throw new Unsupported();
  }

  private cls(): void {
    this.i++;
    let out = "[";
    if (this.peek() === "^") { out += "^"; this.i++; }
    let first = true;
    while (this.i < this.chars.length) {
      const c = this.chars[this.i]!;
      if (c === "]" && !first) { this.i++; this.out += out + "]"; return; }
      first = false;
      if (c === "[" && this.peek(1) === ":") {
        const m = /^\[:(\^?)([a-z]+):\]/.exec(this.chars.slice(this.i, this.i + 12).join(""));
        if (!m || m[1] || !POSIX[m[2]!]) throw new Unsupported();
        out += POSIX[m[2]!];
        this.i += m[0].length;
        continue;
      }
      const lo = this.classChar();
      if (lo === null) { out += this.lastClassItem; continue; } // \d \w \s inside the class
      if (this.peek() === "-" && this.peek(1) !== undefined && this.peek(1) !== "]") {
        this.i++;
        const hi = this.classChar();
        if (hi === null) throw new Unsupported();
        out += `${lo}-${hi}`;
      } else {
        out += lo;
      }
    }
    throw new Unsupported();
  }

  private lastClassItem = "";

  /** One class member as JS class text; null (with lastClassItem set) for \d \w \s. */
  private classChar(): string | null {
    const c = this.chars[this.i]!;
    if (c !== "\\") { this.i++; return literal(c, true); }
    const n = this.peek(1);
    if (n === undefined) throw new Unsupported();
    this.i += 2;
    switch (n) {
      case "d": this.lastClassItem = DIGIT; return null;
      case "w": this.lastClassItem = WORD; return null;
      case "s": this.lastClassItem = SPACE; return null;
      case "D": case "W": case "S": case "b": case "B": throw new Unsupported();
      default: return this.escapedChar(n, true);
    }
  }
}
