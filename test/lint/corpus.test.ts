// Lint over the real Azure-Sentinel corpus beside the repo (../shared/corpus/sentinel): every file loads, and
// the files in error are pinned one by one with the reason. Each pinned error was checked by hand against the
// upstream file and is a real defect (see the comments); anything else in error is a false positive.
import { readdirSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Diagnostic } from "../../src/diagnostics.js";
import { lintPaths, type LintResult } from "../../src/lint/lint-paths.js";

const repo = resolve(import.meta.dirname, "../..");
const corpus = resolve(repo, "../shared/corpus/sentinel");
const PREFIX = "../shared/corpus/sentinel/";

/** file → "line rule" of every error, sorted. */
const EXPECTED_ERRORS: Record<string, string[]> = {
  // File entity identifiers must be Directory/Name; FileName and FolderPath are rejected by Sentinel's validation.
  "detections/FilesCopiedToUSBDrives.yaml": ["55 entity-identifier", "57 entity-identifier"],
  // `- entityType: IP` followed directly by `- identifier:` — invalid YAML (also fails js-yaml upstream).
  "detections/Regsvr32Rundll32WithAnomalousParentProcess.yaml": ["54 yaml-syntax", "54 yaml-syntax", "55 yaml-syntax", "55 yaml-syntax"],
  // Host has no `Name` identifier; `Azure resource` (with a space) is not an entity type.
  "detections/ssh_potentialBruteForce.yaml": ["52 entity-identifier", "54 entity-type"],
  // case() with three predicate/value pairs and no else value (even argument count); 6 placeholders > 3.
  "detections/WMI-Abuse.yaml": ["123 kql-semantic", "148 alert-details-override"],
  // Migration stubs: id/name/description pointing to the new location, no query.
  "hunting/AzureDiagnostics__AzureKeyVaultAccessManipulation.yaml": ["1 required-field"],
  "hunting/AzureDiagnostics__WAF_log4j_vulnerability.yaml": ["1 required-field"],
  "hunting/CommonSecurityLog__B64IPInURL.yaml": ["1 required-field"],
  "hunting/SecurityEvent__Least_Common_Parent_Child_Process.yaml": ["1 required-field"],
  // `Initial access` instead of InitialAccess.
  "hunting/Emails containing links to IP addresses.yaml": ["10 tactic-valid"],
  // `where InvestigationPriority > 10` after a summarize that renamed it to IPInvestigationPriority.
  "hunting/LegacyAuthAttempt.yaml": ["79 kql-semantic"],
  // Maps UrlCustomEntity; the query outputs URLCustomEntity (column names are case-sensitive).
  "hunting/Potential_IIS_CodeInject.yaml": ["79 entity-column-exists"],
  // count(Process): count() takes no argument (Kusto.Language: the only one-argument form is a bool predicate).
  "hunting/ProcessEntropy.yaml": ["45 kql-semantic", "53 kql-semantic"],
  // Joins on IPAddress after the left side summarized it away into make_set(IPAddress).
  "hunting/UserAccounts-UnusualLogonTimes.yaml": ["85 kql-semantic"],
};

let result: LintResult;
const errorsByFile = (diags: Diagnostic[]) => {
  const out: Record<string, string[]> = {};
  for (const d of diags) {
    if (d.severity !== "error") continue;
    (out[d.file.replace(PREFIX, "")] ??= []).push(`${d.line} ${d.rule}`);
  }
  return out;
};

beforeAll(async () => {
  result = await lintPaths([corpus], {
    cwd: repo,
    config: false,
    schemas: [resolve(repo, "../shared/corpus/schemas"), resolve(repo, "test/fixtures/lint/corpus-schemas")],
  });
}, 180_000);

describe("Azure-Sentinel corpus", () => {
  it("loads every YAML file", () => {
    expect(result.files).toBe(118);
    expect(result.ioError).toBe(false);
  });
  it("reports exactly the pinned, hand-checked errors (no false errors)", () => {
    expect(errorsByFile(result.diagnostics)).toEqual(EXPECTED_ERRORS);
  });
  it("explains the pinned errors precisely", () => {
    const msg = (file: string, rule: string) => result.diagnostics.find((d) => d.file === PREFIX + file && d.rule === rule)?.message;
    expect(msg("hunting/Potential_IIS_CodeInject.yaml", "entity-column-exists")).toMatch(/'UrlCustomEntity'.*outputs 'URLCustomEntity'/);
    expect(msg("hunting/LegacyAuthAttempt.yaml", "kql-semantic")).toMatch(/'InvestigationPriority'/);
    expect(msg("detections/WMI-Abuse.yaml", "kql-semantic")).toMatch(/incorrect number of arguments/);
    expect(msg("hunting/CommonSecurityLog__B64IPInURL.yaml", "required-field")).toMatch(/needs 'query'/);
    expect(msg("hunting/Emails containing links to IP addresses.yaml", "tactic-valid")).toMatch(/did you mean 'InitialAccess'/);
  });
  it("accepts Solutions hunting queries that use {{StartTimeISO}}/{{EndTimeISO}} placeholders", () => {
    const dir = resolve(corpus, "hunting");
    const files = readdirSync(dir).filter((f) => readFileSync(resolve(dir, f), "utf8").includes("{{StartTimeISO}}"));
    expect(files.length).toBeGreaterThanOrEqual(10);
    const errors = result.diagnostics.filter((d) => files.some((f) => d.file === `${PREFIX}hunting/${f}`) && d.severity === "error");
    // The only errors among them are the pinned column bugs, not the placeholders.
    expect(errors.map((d) => `${d.file.replace(PREFIX, "")} ${d.rule}`)).toEqual(["hunting/LegacyAuthAttempt.yaml kql-semantic", "hunting/UserAccounts-UnusualLogonTimes.yaml kql-semantic"]);
    // …whose totimespan('{{StartTimeISO}}') misuse is reported as a warning.
    expect(result.diagnostics.filter((d) => d.rule === "time-placeholder").map((d) => d.file.replace(PREFIX, ""))).toContain("hunting/UserAccounts-UnusualLogonTimes.yaml");
  });
  it("still reports advisory findings as warnings (typo keys, legacy custom entities, data types)", () => {
    const w = (rule: string) => result.diagnostics.filter((d) => d.rule === rule && d.severity === "warning").map((d) => d.file.replace(PREFIX, ""));
    expect(w("unknown-field")).toContain("hunting/Snip3MaliciousNetworkConnectivity.yaml"); // descritpion
    expect(w("legacy-custom-entity")).toContain("detections/DomainEntity_DnsEvents.yaml");
    expect(w("data-connector-tables")).toContain("detections/FileHashEntity_SecurityEvent.yaml"); // SecurityEvents
    expect(w("non-ascii")).toEqual(["detections/WMI-Abuse.yaml"]);
  });
});
