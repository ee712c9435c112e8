// Shared inputs of the diagnostic formatters. Formatters are leaves: they turn a finished diagnostic list into
// text and never decide severities or exit codes.
import type { Diagnostic } from "../diagnostics.js";

/** What a formatter may know about a rule (SARIF rule metadata, text hints). */
export interface RuleInfo {
  id: string;
  /** One line: what the rule checks. */
  description: string;
  /** Longer help (Markdown allowed). */
  help?: string;
  defaultSeverity?: Diagnostic["severity"];
  helpUri?: string;
}

export interface FormatOptions {
  /** Number of files examined (JSON `files`, text summary). */
  files?: number;
  /** Rule metadata for SARIF `tool.driver.rules` and text hints. */
  rules?: ReadonlyMap<string, RuleInfo>;
  /** Source text of a file, for code frames; undefined when not available. */
  source?: (file: string) => string | undefined;
  /** Tool identity for SARIF. */
  tool?: { name: string; version: string; informationUri?: string };
  /** Directory that SARIF URIs are made relative to (default: process.cwd()). */
  root?: string;
}

export type OutputFormat = "text" | "json" | "sarif" | "github" | "azure-devops";
export const OUTPUT_FORMATS: readonly OutputFormat[] = ["text", "json", "sarif", "github", "azure-devops"];
