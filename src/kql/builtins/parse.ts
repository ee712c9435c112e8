// parse_* functions: parse_url, parse_urlquery, parse_path, parse_command_line, parse_csv, parse_xml, and
// extract_json (JSONPath subset). parse_version lives in version.ts (exact up to 2^53, larger values refused);
// parse_user_agent is in useragent.ts.
import { KqlError } from "../api.js";
import type { Dyn, KqlType } from "../values.js";
import { DynScalar, dynToJsonText } from "../values.js";
import { convertTo } from "./conversion.js";
import { refuseDuplicateJsonKeys } from "./json-lenient.js";
import { typeJsonNumbers } from "./json-numbers.js";
import { defineScalar } from "./registry.js";

// ---------- parse_url / parse_urlquery ----------

/**
 * Query string → property bag. The pages only show plain `k=v&…` queries: whether Kusto URL-decodes keys and
 * values (`%xx`, `+`), and what a repeated key gives (last value? joined like .NET's ParseQueryString?), is not
 * documented, so such queries are refused.
 */
export function parseQueryString(query: string, fn = "parse_url"): { [k: string]: Dyn } {
  const out: { [k: string]: Dyn } = {};
  if (/[%+]/.test(query)) throw new KqlError("unsupported", `unsupported: ${fn}() of a query with '%' or '+' (whether Kusto URL-decodes parameters is not documented)`);
  for (const part of query.split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    const k = eq < 0 ? part : part.slice(0, eq);
    const v = eq < 0 ? "" : part.slice(eq + 1);
    if (Object.hasOwn(out, k)) throw new KqlError("unsupported", `unsupported: ${fn}() of a query repeating the parameter '${k}' (the result for repeated keys is not documented)`);
    out[k] = v;
  }
  return out;
}

const URL_RE = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/(?:([^:@/?#]*)(?::([^@/?#]*))?@)?(\[[^\]]*\]|[^:/?#]*)(?::(\d*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/s;

/**
 * parse_url(): {Scheme, Host, Port, Path, Username, Password, "Query Parameters", Fragment} with absent parts as
 * "" (parse-url-function.md). The path keeps its leading "/" except that a bare "/" is empty (see
 * docs/kql-builtins-strings.md for the evidence and the doubt). Text that is not an absolute URL gives the same
 * shape with every part empty.
 */
export function parseUrl(url: string): { [k: string]: Dyn } {
  const m = URL_RE.exec(url.trim());
  const part = (i: number) => (m?.[i] ?? "");
  const path = part(6);
  return {
    "Scheme": part(1),
    "Host": part(4),
    "Port": part(5),
    "Path": path === "/" ? "" : path,
    "Username": part(2),
    "Password": part(3),
    "Query Parameters": parseQueryString(part(7)),
    "Fragment": part(8),
  };
}

defineScalar({
  name: "parse_url",
  aliases: ["parseurl"],
  nulls: "propagate",
  overloads: [{ params: ["string"], returns: "dynamic", impl: ([s]) => parseUrl(s as string) }],
});

defineScalar({
  name: "parse_urlquery",
  aliases: ["parseurlquery"],
  nulls: "propagate",
  overloads: [{
    params: ["string"],
    returns: "dynamic",
    impl: ([s]) => {
      // The page's input is the query without its '?'; a leading '?' (key "?a" or "a"?) is not documented.
      if ((s as string).startsWith("?")) throw new KqlError("unsupported", "unsupported: parse_urlquery() of text starting with '?' (the page's input is the query without it)");
      return { "Query Parameters": parseQueryString(s as string, "parse_urlquery") };
    },
  }],
});

// ---------- parse_path ----------

/** parse_path() per the shapes of parse-path-function.md's examples (drive roots, UNC, schemes, ADS). */
export function parsePath(path: string): { [k: string]: Dyn } {
  let rest = path;
  let scheme = "";
  const sm = /^([A-Za-z][A-Za-z0-9+.-]+):\/\//.exec(rest);
  if (sm) { scheme = sm[1]!; rest = rest.slice(sm[0].length); }
  const rm = /^(?:\\\\\?\\)?([A-Za-z]:)/.exec(rest);
  const rootPath = rm ? rm[1]! : "";
  const sep = Math.max(rest.lastIndexOf("/"), rest.lastIndexOf("\\"));
  let dirPath = sep >= 0 ? rest.slice(0, sep) : "";
  let fileName = sep >= 0 ? rest.slice(sep + 1) : rest;
  if (sep < 0 && rootPath && fileName.startsWith(rootPath)) { dirPath = rootPath; fileName = fileName.slice(rootPath.length); }
  let ads = "";
  const colon = fileName.indexOf(":");
  if (colon >= 0) { ads = fileName.slice(colon + 1); fileName = fileName.slice(0, colon); }
  const dot = fileName.lastIndexOf(".");
  const ext = dot >= 0 ? fileName.slice(dot + 1) : "";
  const dsep = Math.max(dirPath.lastIndexOf("/"), dirPath.lastIndexOf("\\"));
  let dirName = dsep >= 0 ? dirPath.slice(dsep + 1) : dirPath;
  if (dirName === rootPath) dirName = "";
  return {
    "Scheme": scheme,
    "RootPath": rootPath,
    "DirectoryPath": dirPath,
    "DirectoryName": dirName,
    "Filename": fileName,
    "Extension": ext,
    "AlternateDataStreamName": ads,
  };
}

defineScalar({
  name: "parse_path",
  nulls: "propagate",
  overloads: [{ params: ["string"], returns: "dynamic", impl: ([s]) => parsePath(s as string) }],
});

// ---------- parse_command_line ----------

const isBlank = (c: string | undefined) => c === " " || c === "\t";

/**
 * Windows CommandLineToArgvW: argv[0] ends at the next blank (or is quoted, without escapes); later arguments
 * use the backslash/quote rules (2n backslashes + quote → n backslashes and a quote toggle; 2n+1 → n and a
 * literal quote; a third consecutive quote is a literal quote).
 */
export function parseWindowsCommandLine(cmd: string): string[] {
  const args: string[] = [];
  let i = 0;
  const n = cmd.length;
  while (i < n && isBlank(cmd[i])) i++;
  if (i >= n) return args;
  let first = "";
  if (cmd[i] === '"') {
    i++;
    while (i < n && cmd[i] !== '"') first += cmd[i++];
    if (i < n) i++;
  } else {
    while (i < n && !isBlank(cmd[i])) first += cmd[i++];
  }
  args.push(first);
  while (i < n && isBlank(cmd[i])) i++;

  let cur = "";
  let started = false;
  let quotes = 0; // >0 while inside a quoted region (counts per the shell32 algorithm)
  let backslashes = 0;
  while (i < n) {
    const c = cmd[i]!;
    if (isBlank(c) && quotes === 0) {
      if (started) args.push(cur);
      cur = ""; started = false; backslashes = 0;
      while (i < n && isBlank(cmd[i])) i++;
      continue;
    }
    started = true;
    if (c === "\\") {
      cur += c; backslashes++; i++;
      continue;
    }
    if (c === '"') {
      if (backslashes % 2 === 0) {
        cur = cur.slice(0, cur.length - backslashes / 2);
        quotes++;
      } else {
        cur = cur.slice(0, cur.length - (backslashes + 1) / 2) + '"';
      }
      i++;
      backslashes = 0;
      while (i < n && cmd[i] === '"') {
        if (++quotes === 3) { cur += '"'; quotes = 0; }
        i++;
      }
      if (quotes === 2) quotes = 0;
      continue;
    }
    cur += c; backslashes = 0; i++;
  }
  if (started) args.push(cur);
  return args;
}

defineScalar({
  name: "parse_command_line",
  nulls: "propagate",
  overloads: [{
    params: ["string", "string"],
    returns: "dynamic",
    impl: ([cmd, parser]) => {
      if ((parser as string).toLowerCase() !== "windows") {
        throw new KqlError("runtime", `parse_command_line(): parser type must be "windows", not ${JSON.stringify(parser)}`);
      }
      return parseWindowsCommandLine(cmd as string);
    },
  }],
});

// ---------- parse_csv ----------

/** The first CSV record of text: quoted fields may hold commas, line feeds and "" for a quote. */
export function parseCsvRecord(text: string): string[] {
  const out: string[] = [];
  let field = "";
  let i = 0;
  let inQuotes = false;
  let quotedField = false;
  while (i < text.length) {
    const c = text[i]!;
    if (inQuotes) {
      if (c === '"') {
        if (text[i + 1] === '"') { field += '"'; i += 2; continue; }
        inQuotes = false; i++; continue;
      }
      field += c; i++;
      continue;
    }
    if (c === '"' && field === "" && !quotedField) { inQuotes = true; quotedField = true; i++; continue; }
    if (c === ",") { out.push(field); field = ""; quotedField = false; i++; continue; }
    if (c === "\n" || c === "\r") break; // only the first record is taken
    // The page documents well-formed records only; a stray quote or text after a closing quote is refused.
    if (c === '"' || quotedField) throw malformedCsv(text);
    field += c; i++;
  }
  if (inQuotes) throw malformedCsv(text);
  out.push(field);
  return out;
}

const malformedCsv = (text: string): KqlError =>
  new KqlError("unsupported", `unsupported: parse_csv() of a malformed record (unbalanced or stray quote): ${JSON.stringify(text.slice(0, 60))}`);

defineScalar({
  name: "parse_csv",
  nulls: "propagate",
  overloads: [{ params: ["string"], returns: "dynamic", impl: ([s]) => parseCsvRecord(s as string) }],
});

// ---------- extract_json / extractjson ----------

export type JsonPathStep = string | number;

/**
 * Parses the JSONPath subset Kusto supports (jsonpath.md): `$`, `.name`, `['name']` / `["name"]`, `[index]`.
 * Wildcards, recursion, unions, slices and filters are rejected with an error.
 */
export function parseJsonPath(path: string): JsonPathStep[] {
  const p = path.trim();
  if (!p.startsWith("$")) throw new KqlError("runtime", `JSONPath ${JSON.stringify(path)} must start with '$'`);
  const steps: JsonPathStep[] = [];
  let i = 1;
  const bad = () => new KqlError("unsupported", `unsupported: JSONPath ${JSON.stringify(path)} (only $, .name, ['name'] and [index] are supported)`);
  while (i < p.length) {
    if (p[i] === ".") {
      const m = /^[^.[\]*]+/.exec(p.slice(i + 1));
      if (!m) throw bad();
      steps.push(m[0]);
      i += 1 + m[0].length;
    } else if (p[i] === "[") {
      const rest = p.slice(i);
      const m = /^\[\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|(\d+))\s*\]/.exec(rest);
      if (!m) throw bad();
      if (m[3] !== undefined) steps.push(Number(m[3]));
      else steps.push((m[1] ?? m[2]!).replace(/\\(.)/g, "$1"));
      i += m[0].length;
    } else {
      throw bad();
    }
  }
  return steps;
}

const jsonPathCache = new Map<string, JsonPathStep[]>();

/** The element at `path` in the JSON text, or undefined when the text is not JSON or the path is absent. */
export function jsonPathGet(path: string, text: string): Dyn | undefined {
  let steps = jsonPathCache.get(path);
  if (!steps) {
    steps = parseJsonPath(path);
    if (jsonPathCache.size > 1000) jsonPathCache.clear();
    jsonPathCache.set(path, steps);
  }
  let cur: Dyn;
  try {
    cur = JSON.parse(text) as Dyn;
  } catch {
    return undefined;
  }
  refuseDuplicateJsonKeys(text, cur);
  cur = typeJsonNumbers(text, cur); // 2.0 stays a real; longs beyond ±2^53 refused
  for (const s of steps) {
    if (typeof s === "number") {
      if (!Array.isArray(cur) || s >= cur.length) return undefined;
      cur = cur[s]!;
    } else {
      if (cur === null || typeof cur !== "object" || Array.isArray(cur) || !(s in cur)) return undefined;
      cur = (cur as { [k: string]: Dyn })[s]!;
    }
  }
  return cur;
}

const jsonElementText = (d: Dyn | undefined): string =>
  d === undefined || d === null ? "" : typeof d === "string" ? d : d instanceof DynScalar ? d.text() : dynToJsonText(d);

defineScalar({
  name: "extract_json",
  aliases: ["extractjson"],
  nulls: "propagate",
  overloads: [
    { params: ["string", "string"], returns: "string", impl: ([p, t]) => jsonElementText(jsonPathGet(p as string, t as string)) },
    {
      // The type literal arrives as its type name (same convention as extract(…, typeof(T))).
      params: ["string", "string", "string"],
      returns: "dynamic",
      impl: ([p, t, type]) => {
        const d = jsonPathGet(p as string, t as string);
        const to = type as KqlType;
        if (to === "dynamic") return d ?? null;
        if (d === undefined) return to === "string" ? "" : null;
        return convertTo(d, "dynamic", to);
      },
    },
  ],
});

// ---------- parse_xml ----------

/**
 * parse_xml() per parse-xml-function.md, whose table is the XML → JSON mapping of Json.NET's SerializeXmlNode:
 * an element becomes `{name: value}`; attributes are `@name` members; text is the value itself, or `#text` next
 * to attributes/children; repeated child names become arrays (at the first one's position); `<e/>` is null and
 * `<e></e>` is "". Whitespace-only text is dropped (XmlDocument's default); other text is kept as written, as a
 * string. Comments, processing instructions and CDATA are skipped ("Only element nodes, attributes and text
 * nodes will be translated"). Malformed XML, DOCTYPEs and inputs over 1 MB give null.
 */
export function parseXml(text: string): Dyn {
  if (Buffer.byteLength(text, "utf8") > 1_048_576) return null;
  try {
    const p = new XmlParser(text);
    return p.document();
  } catch (e) {
    if (e instanceof XmlSyntaxError) return null;
    throw e;
  }
}

class XmlSyntaxError extends Error {}

interface XmlElement { name: string; attrs: [string, string][]; children: (XmlElement | string)[]; selfClosing: boolean }

const XML_NAME = /^[A-Za-z_:][-A-Za-z0-9_:.]*/;

class XmlParser {
  private i = 0;
  constructor(private readonly s: string) {}

  document(): Dyn {
    this.misc();
    if (this.s.startsWith("<!DOCTYPE", this.i)) throw new XmlSyntaxError();
    const root = this.element();
    this.misc();
    if (this.i !== this.s.length) throw new XmlSyntaxError();
    return { [root.name]: elementValue(root) };
  }

  /** Skips whitespace, comments and processing instructions (including the XML declaration). */
  private misc(): void {
    for (;;) {
      while (this.i < this.s.length && /\s/.test(this.s[this.i]!)) this.i++;
      if (this.s.startsWith("<?", this.i)) this.skipTo("?>");
      else if (this.s.startsWith("<!--", this.i)) this.skipTo("-->");
      else return;
    }
  }

  private skipTo(end: string): void {
    const j = this.s.indexOf(end, this.i);
    if (j < 0) throw new XmlSyntaxError();
    this.i = j + end.length;
  }

  private name(): string {
    const m = XML_NAME.exec(this.s.slice(this.i, this.i + 256));
    if (!m) throw new XmlSyntaxError();
    this.i += m[0].length;
    return m[0];
  }

  private element(): XmlElement {
    if (this.s[this.i] !== "<") throw new XmlSyntaxError();
    this.i++;
    const el: XmlElement = { name: this.name(), attrs: [], children: [], selfClosing: false };
    for (;;) {
      const ws = this.i;
      while (/\s/.test(this.s[this.i] ?? "")) this.i++;
      const c = this.s[this.i];
      if (c === "/" && this.s[this.i + 1] === ">") { this.i += 2; el.selfClosing = true; return el; }
      if (c === ">") { this.i++; break; }
      if (this.i === ws) throw new XmlSyntaxError(); // attributes must be separated by whitespace
      const an = this.name();
      while (/\s/.test(this.s[this.i] ?? "")) this.i++;
      if (this.s[this.i] !== "=") throw new XmlSyntaxError();
      this.i++;
      while (/\s/.test(this.s[this.i] ?? "")) this.i++;
      const q = this.s[this.i];
      if (q !== '"' && q !== "'") throw new XmlSyntaxError();
      const end = this.s.indexOf(q, this.i + 1);
      if (end < 0) throw new XmlSyntaxError();
      const raw = this.s.slice(this.i + 1, end);
      if (raw.includes("<")) throw new XmlSyntaxError();
      if (el.attrs.some(([n]) => n === an)) throw new XmlSyntaxError();
      el.attrs.push([an, decodeEntities(raw)]);
      this.i = end + 1;
    }
    let text = "";
    const flush = () => { if (text !== "") { if (/\S/.test(text)) el.children.push(decodeEntities(text)); text = ""; } };
    for (;;) {
      if (this.i >= this.s.length) throw new XmlSyntaxError();
      if (this.s.startsWith("</", this.i)) {
        flush();
        this.i += 2;
        if (this.name() !== el.name) throw new XmlSyntaxError();
        while (/\s/.test(this.s[this.i] ?? "")) this.i++;
        if (this.s[this.i] !== ">") throw new XmlSyntaxError();
        this.i++;
        return el;
      }
      if (this.s.startsWith("<!--", this.i)) { this.skipTo("-->"); continue; }
      if (this.s.startsWith("<?", this.i)) { this.skipTo("?>"); continue; }
      if (this.s.startsWith("<![CDATA[", this.i)) { flush(); this.skipTo("]]>"); continue; }
      if (this.s[this.i] === "<") { flush(); el.children.push(this.element()); continue; }
      text += this.s[this.i++];
    }
  }
}

const XML_ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

function decodeEntities(t: string): string {
  return t.replace(/&([^;&\s]*);?/g, (whole, body: string) => {
    if (!whole.endsWith(";")) throw new XmlSyntaxError();
    if (body in XML_ENTITIES) return XML_ENTITIES[body]!;
    const m = /^#(?:x([0-9A-Fa-f]+)|(\d+))$/.exec(body);
    if (!m) throw new XmlSyntaxError();
    const cp = m[1] !== undefined ? parseInt(m[1], 16) : Number(m[2]);
    if (cp > 0x10ffff) throw new XmlSyntaxError();
    return String.fromCodePoint(cp);
  });
}

function elementValue(el: XmlElement): Dyn {
  const hasElements = el.children.some((c) => typeof c !== "string");
  if (el.attrs.length === 0 && !hasElements) {
    if (el.children.length === 0) return el.selfClosing ? null : "";
    return el.children.length === 1 ? el.children[0] as string : el.children as string[];
  }
  const out: { [k: string]: Dyn } = {};
  for (const [n, v] of el.attrs) out[`@${n}`] = v;
  // Children grouped by name ("#text" for text) in the order each name first appears.
  const order: string[] = [];
  const byName = new Map<string, Dyn[]>();
  for (const c of el.children) {
    // The page's table maps `<e> text <a>text</a> </e>` to "#text": "text" (trimmed) where Json.NET keeps " text ":
    // mixed-content text with surrounding white space is refused rather than guessed.
    if (typeof c === "string" && c !== c.trim()) {
      throw new KqlError("unsupported", "unsupported: parse_xml() of text with leading/trailing white space next to child elements or attributes (trimming undocumented)");
    }
    const key = typeof c === "string" ? "#text" : c.name;
    if (!byName.has(key)) { byName.set(key, []); order.push(key); }
    byName.get(key)!.push(typeof c === "string" ? c : elementValue(c));
  }
  for (const n of order) {
    const vs = byName.get(n)!;
    out[n] = vs.length === 1 ? vs[0]! : vs;
  }
  return out;
}

defineScalar({
  name: "parse_xml",
  nulls: "propagate",
  overloads: [{ params: ["string"], returns: "dynamic", impl: ([s]) => parseXml(s as string) }],
});
