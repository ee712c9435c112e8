// `.scaclint.yaml` (repository root, or --config): severity overrides, disabled rules, ignored paths and extra
// schema directories.
//
//   rules:
//     kql-contains: off          # off | error | warning | info
//     technique-tactic: error
//   ignore:
//     - "content/legacy/**"      # picomatch globs, relative to the config file's directory
//   schemas:
//     - ../shared/corpus/schemas # relative to the config file's directory
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { parse } from "yaml";
import type { Severity } from "../diagnostics.js";
import { RULES_BY_ID } from "./rules/index.js";
import { didYouMean, isRecord } from "./util.js";

export interface LintConfig {
  /** Rule id → severity, or "off". */
  rules: Record<string, Severity | "off">;
  ignore: string[];
  schemas: string[];
  /** Directory relative globs and schema paths are resolved against. */
  baseDir: string;
  /** Stable hash of the settings (part of the cache key). */
  hash: string;
}

export class ConfigError extends Error {}

export const DEFAULT_CONFIG_FILE = ".scaclint.yaml";

export function defaultConfig(baseDir: string): LintConfig {
  return { rules: {}, ignore: [], schemas: [], baseDir, hash: "default" };
}

export async function loadConfig(file: string): Promise<LintConfig> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    throw new ConfigError(`cannot read config ${file}: ${(e as Error).message}`);
  }
  return parseConfig(text, file);
}

export function parseConfig(text: string, file: string): LintConfig {
  let data: unknown;
  try {
    data = parse(text, { uniqueKeys: true, maxAliasCount: 50 }) ?? {};
  } catch (e) {
    throw new ConfigError(`${file}: not valid YAML: ${(e as Error).message.split("\n")[0]}`);
  }
  if (!isRecord(data)) throw new ConfigError(`${file}: the config must be a mapping with rules, ignore, schemas`);
  for (const k of Object.keys(data)) {
    if (!["rules", "ignore", "schemas"].includes(k)) throw new ConfigError(`${file}: unknown key '${k}'${didYouMean(k, ["rules", "ignore", "schemas"])}`);
  }
  const rules: LintConfig["rules"] = {};
  if (data.rules !== undefined) {
    if (!isRecord(data.rules)) throw new ConfigError(`${file}: rules must be a mapping of rule id → off|error|warning|info`);
    for (const [id, sev] of Object.entries(data.rules)) {
      if (!RULES_BY_ID.has(id)) throw new ConfigError(`${file}: unknown rule '${id}'${didYouMean(id, RULES_BY_ID.keys())}`);
      const s = sev === false ? "off" : sev;
      if (s !== "off" && s !== "error" && s !== "warning" && s !== "info") throw new ConfigError(`${file}: rule ${id}: '${String(sev)}' must be off, error, warning or info`);
      rules[id] = s;
    }
  }
  const list = (k: "ignore" | "schemas"): string[] => {
    const v = data[k];
    if (v === undefined) return [];
    if (!Array.isArray(v) || !v.every((x) => typeof x === "string")) throw new ConfigError(`${file}: ${k} must be a list of strings`);
    return v;
  };
  const baseDir = dirname(resolve(file));
  const ignore = list("ignore");
  const schemas = list("schemas").map((s) => resolve(baseDir, s));
  const hash = createHash("sha256").update(JSON.stringify({ rules, ignore, schemas })).digest("hex").slice(0, 16);
  return { rules, ignore, schemas, baseDir, hash };
}
