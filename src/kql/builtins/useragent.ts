// parse_user_agent(ua, look_for) (parse-user-agent-function.md). Kusto parses with the ua-parser project's regex
// list (uap-core regexes.yaml); the engine reads that list from the `uap-core` npm package (data only, shipped as a
// dependency) and applies it as uap-core's docs/specification.md says: the first matching rule of each parser wins,
// `$1…$9` in a replacement insert the rule's groups, no match gives family "Other". The bag's shape and member
// names are the page's ("Browser", "OperatingSystem", "Device"); an absent value is "" as in its examples.
//
// Refused (unsupported) where Kusto's answer cannot be known here:
//  - a user agent with non-ASCII characters (.NET's \d, \w and case folding, used by Kusto's regexes, differ from
//    JavaScript's outside ASCII) or line breaks (.NET's `.` matches \r and its `$` matches before a final \n);
//  - a value with leading or trailing white space, or a matched rule giving an empty family (ua-parser ports
//    disagree on trimming and on empty families);
//  - look_for other than "browser", "os", "device" — or an array of them in another order than that or with
//    repeats (the member order of the result for such arrays is not documented);
//  - a rule whose regex JavaScript cannot compile.
// uap-core changes its rules between releases and Kusto does not say which release it ships; the documented
// examples are reproduced with uap-core 0.18.0 (test/kql/builtins/h4-useragent.test.ts).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { parse as parseYaml } from "yaml";
import { KqlError } from "../api.js";
import type { Dyn } from "../values.js";
import { defineScalar } from "./registry.js";

type Fields = (string | null)[];

export interface Rule {
  source: string;
  flags: string;
  compiled?: RegExp;
  /** One replacement template per output field; undefined = take the group given by `groups`. */
  replacements: (string | undefined)[];
}

export interface Parser {
  rules: Rule[];
  /** The regex group each field falls back to when it has no replacement (0 = none). */
  groups: number[];
  /** Output member names, in the documented order. */
  names: string[];
  member: string;
}

function unsupported(what: string): never {
  throw new KqlError("unsupported", `unsupported: parse_user_agent() ${what}`);
}

let parsers: Map<string, Parser> | undefined;

/** Loads regexes.yaml once, on the first call (a few hundred KB of YAML; most queries never need it). */
function loadParsers(): Map<string, Parser> {
  if (parsers) return parsers;
  const path = createRequire(import.meta.url).resolve("uap-core/regexes.yaml");
  const doc = parseYaml(readFileSync(path, "utf8")) as Record<string, Record<string, string>[]>;
  const rules = (key: string, fields: string[]): Rule[] =>
    (doc[key] ?? []).map((r) => ({
      source: r.regex!,
      flags: r.regex_flag === "i" ? "i" : "",
      replacements: fields.map((f) => r[f]),
    }));
  parsers = new Map<string, Parser>([
    ["browser", {
      member: "Browser",
      names: ["Family", "MajorVersion", "MinorVersion", "Patch"],
      rules: rules("user_agent_parsers", ["family_replacement", "v1_replacement", "v2_replacement", "v3_replacement"]),
      groups: [1, 2, 3, 4],
    }],
    ["os", {
      member: "OperatingSystem",
      names: ["Family", "MajorVersion", "MinorVersion", "Patch", "PatchMinor"],
      rules: rules("os_parsers", ["os_replacement", "os_v1_replacement", "os_v2_replacement", "os_v3_replacement", "os_v4_replacement"]),
      groups: [1, 2, 3, 4, 5],
    }],
    ["device", {
      member: "Device",
      names: ["Family", "Brand", "Model"],
      rules: rules("device_parsers", ["device_replacement", "brand_replacement", "model_replacement"]),
      groups: [1, 0, 1], // the spec: no brand without a brand_replacement; the model defaults to the first group
    }],
  ]);
  return parsers;
}

function regexOf(rule: Rule): RegExp {
  if (!rule.compiled) {
    try {
      rule.compiled = new RegExp(rule.source, rule.flags);
    } catch {
      unsupported(`rule /${rule.source}/ (not a JavaScript regular expression)`);
    }
  }
  return rule.compiled;
}

/** A replacement template with `$n` → group n ("" when the group did not take part in the match). */
function substitute(template: string, m: RegExpExecArray): string {
  return template.replace(/\$(\d)/g, (_, d: string) => m[Number(d)] ?? "");
}

/** One parser's fields for `ua`: the first matching rule's replacements or groups; no match → family "Other". */
export function parseWith(p: Parser, ua: string): Fields {
  for (const rule of p.rules) {
    const m = regexOf(rule).exec(ua);
    if (!m) continue;
    const fields = p.groups.map((g, i) => {
      const rep = rule.replacements[i];
      const v = rep !== undefined ? substitute(rep, m) : g > 0 ? m[g] ?? null : null;
      if (v !== null && v.trim() !== v) unsupported(`result '${v}' with surrounding white space (rule /${rule.source}/)`);
      return v === "" ? null : v;
    });
    // Ports differ on a matched rule with an empty family (kept empty, or "Other").
    if (fields[0] === null) unsupported(`rule /${rule.source}/ matching with an empty family`);
    return fields;
  }
  return p.groups.map((_, i) => (i === 0 ? "Other" : null));
}

const LOOK_FOR_ORDER = ["browser", "os", "device"];

function targets(lookFor: Dyn): string[] {
  const list = typeof lookFor === "string" ? [lookFor] : Array.isArray(lookFor) ? lookFor : null;
  if (!list || list.length === 0) unsupported(`look_for ${JSON.stringify(lookFor)}`);
  let last = -1;
  for (const t of list) {
    const k = typeof t === "string" ? LOOK_FOR_ORDER.indexOf(t) : -1;
    if (k < 0) unsupported(`look_for value ${JSON.stringify(t)} (documented: "browser", "os", "device")`);
    if (k <= last) unsupported(`look_for ${JSON.stringify(list)} (other orders or repeats than browser, os, device: undocumented result order)`);
    last = k;
  }
  return list as string[];
}

// Parsing is regex-heavy (over a thousand rules); the same user agents repeat across rows, so results are cached.
const cache = new Map<string, Fields>();
const CACHE_MAX = 10_000;

function cached(target: string, p: Parser, ua: string): Fields {
  const key = target + "\u0000" + ua;
  let f = cache.get(key);
  if (!f) {
    f = parseWith(p, ua);
    if (cache.size >= CACHE_MAX) cache.clear();
    cache.set(key, f);
  }
  return f;
}

export function parseUserAgent(ua: string, lookFor: Dyn): { [k: string]: Dyn } {
  const list = targets(lookFor);
  // eslint-disable-next-line no-control-regex
  if (/[^\x00-\x7f]/.test(ua)) unsupported("of a user agent with non-ASCII characters");
  if (/[\r\n]/.test(ua)) unsupported("of a user agent with line breaks");
  const all = loadParsers();
  const out: { [k: string]: Dyn } = {};
  for (const t of list) {
    const p = all.get(t)!;
    const fields = cached(t, p, ua);
    const bag: { [k: string]: Dyn } = {};
    p.names.forEach((n, i) => { bag[n] = fields[i] ?? ""; });
    out[p.member] = bag;
  }
  return out;
}

// The dynamic overload comes first: a string parameter would also accept (and stringify) a dynamic argument.
defineScalar({
  name: "parse_user_agent",
  nulls: "custom",
  overloads: (["dynamic", "string"] as const).map((t) => ({
    params: ["string" as const, t],
    returns: "dynamic" as const,
    impl: ([ua, lookFor]) => parseUserAgent(ua as string, lookFor as Dyn),
  })),
});
