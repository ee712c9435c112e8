// parse_json()/todynamic() of text that is not strict JSON returns the text (parse-json-function.md). Whether
// Kusto's JSON reader is strict is not documented, and the common .NET reader (Json.NET) accepts single-quoted
// strings, unquoted property names, comments, trailing commas, NaN/Infinity, hex numbers and raw control
// characters inside strings. Text that is JSON only under such a lenient reading is refused instead of being
// returned as a string; so is a number too large for a real (1e400), which a strict reader rejects and a
// lenient one may read as infinity.
import { KqlError } from "../api.js";
import type { Dyn } from "../values.js";
import { stringEnd } from "./json-numbers.js";

const LENIENT_START = /^\s*(?:[[{']|NaN\b|-?Infinity\b|[-+]?0[xX][0-9a-fA-F]|\/[/*])/;

/** Rewrites the lenient constructs into strict JSON (approximately: only used to decide whether to refuse). */
function strictify(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"' || c === "'") {
      // A string literal in either quote style becomes a double-quoted one.
      let j = i + 1, body = "";
      while (j < text.length && text[j] !== c) {
        if (text[j] === "\\" && j + 1 < text.length) { body += text[j]! + text[j + 1]!; j += 2; continue; }
        const ch = text[j]!;
        // Raw control characters (a line break inside a string) are escaped: lenient readers accept them.
        body += ch === '"' ? '\\"' : ch < " " ? `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}` : ch;
        j++;
      }
      out += `"${body}"`;
      i = j;
    } else if (c === "/" && text[i + 1] === "/") {
      while (i < text.length && text[i] !== "\n") i++;
    } else if (c === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      i = end < 0 ? text.length : end + 1;
    } else out += c;
  }
  return out
    .replace(/([{,]\s*)([A-Za-z_$][\w$]*)(\s*:)/g, '$1"$2"$3') // unquoted property names
    .replace(/,(\s*[\]}])/g, "$1") // trailing commas
    .replace(/-?\bInfinity\b|\bNaN\b|\bundefined\b/g, "null")
    .replace(/[-+]?\b0[xX][0-9a-fA-F]+\b/g, "0");
}

/** Throws unsupported when text that strict JSON rejects would parse under a lenient reading. */
export function refuseLenientJson(text: string): void {
  if (!LENIENT_START.test(text)) return;
  try {
    JSON.parse(strictify(text));
  } catch {
    return;
  }
  throw new KqlError("unsupported", "unsupported: parse_json() of text that is JSON only under a lenient reading (single quotes, unquoted names, comments, trailing commas, NaN, hex or raw control characters in strings): whether Kusto reads it or returns the text is not documented");
}

/**
 * Throws unsupported when an object of `text` (valid JSON, `parsed` its JSON.parse) repeats a key: JSON.parse keeps
 * the last value, but which one Kusto's reader keeps — or whether it rejects the text and parse_json() returns it as
 * a string — is not documented. Every ':' outside a string separates a key from its value, so the text repeats a
 * key exactly when it holds more of them than the parsed objects hold keys.
 */
export function refuseDuplicateJsonKeys(text: string, parsed: Dyn): void {
  if (!text.includes("{")) return;
  // Jump between the next '"' and the next ':' with indexOf (the native search is several times faster than a loop).
  let separators = 0;
  let colon = text.indexOf(":"), quote = text.indexOf('"');
  while (colon >= 0) {
    if (quote >= 0 && quote < colon) {
      const end = stringEnd(text, quote);
      quote = text.indexOf('"', end);
      if (colon < end) colon = text.indexOf(":", end);
    } else {
      separators++;
      colon = text.indexOf(":", colon + 1);
    }
  }
  if (separators !== keyCount(parsed)) {
    throw new KqlError("unsupported", "unsupported: JSON object repeating a key (which value Kusto keeps is not documented)");
  }
}

function keyCount(d: Dyn): number {
  if (d === null || typeof d !== "object") return 0;
  let n = 0;
  if (Array.isArray(d)) {
    for (const x of d) n += keyCount(x);
  } else {
    for (const k in d) n += 1 + keyCount((d as { [k: string]: Dyn })[k]!);
  }
  return n;
}

/** Throws unsupported when strictly parsed JSON holds a number beyond the range of a real. */
export function refuseJsonOverflow(text: string, parsed: Dyn): void {
  if (!/\d[eE]\+?\d{3}/.test(text)) return;
  const walk = (d: Dyn): void => {
    if (typeof d === "number" && !Number.isFinite(d)) {
      throw new KqlError("unsupported", "unsupported: parse_json() of a number beyond the range of a real (not documented)");
    }
    if (Array.isArray(d)) d.forEach(walk);
    else if (d && typeof d === "object") Object.values(d).forEach(walk);
  };
  walk(parsed);
}
