// Findings produced by the content loader, the schema loader and the lint engine itself. They are listed here
// so they are documented, configurable and appear in SARIF like any other rule.
import { defineRule } from "../rule.js";

export const builtinRules = [
  defineRule({ scope: "builtin", id: "yaml-syntax", severity: "error", description: "The file is valid YAML.", doc: "Parsed with the YAML 1.2 parser in strict mode; the position of the first problem is reported." }),
  defineRule({ scope: "builtin", id: "yaml-duplicate-key", severity: "error", description: "No key appears twice in one mapping.", doc: "YAML parsers disagree on which value wins; Sentinel's pipeline keeps the last, reviewers read the first." }),
  defineRule({ scope: "builtin", id: "yaml-alias-bomb", severity: "error", description: "Alias expansion stays small (billion-laughs guard).", doc: "Real content uses no aliases; more than 50 alias expansions are refused." }),
  defineRule({ scope: "builtin", id: "yaml-not-mapping", severity: "error", description: "The document is a mapping of keys to values.", doc: "A content file is one YAML mapping (id, name, query, …)." }),
  defineRule({ scope: "builtin", id: "file-too-large", severity: "error", description: "Content files are at most 1 MiB.", doc: "Guards against data dumps committed as content." }),
  defineRule({ scope: "builtin", id: "io", severity: "error", description: "The file or directory can be read.", doc: "Missing paths, permissions, unreadable schema directories." }),
  defineRule({ scope: "builtin", id: "schema-invalid", severity: "error", description: "Schema files (content/schemas, --schemas) are well-formed.", doc: "Unknown column types, missing names, malformed function parameter lists; conflicting re-declarations are warnings." }),
  defineRule({ scope: "builtin", id: "id-changed", severity: "error", description: "With --changed: a file's id is the same as on the --base branch.", doc: "Azure-Sentinel's idChangeValidator: deployed rules are keyed by id, so a new id orphans the old rule. Compared case-insensitively; new files are skipped." }),
  defineRule({ scope: "builtin", id: "suppression-reason", severity: "error", description: "Every inline suppression gives a reason after `--`.", doc: "`# scac-disable kql-contains -- substring match intended`. A suppression without reason still applies but is itself reported." }),
  defineRule({ scope: "builtin", id: "suppression-unknown-rule", severity: "warning", description: "Inline suppressions name existing rules.", doc: "A misspelt rule id suppresses nothing." }),
];
