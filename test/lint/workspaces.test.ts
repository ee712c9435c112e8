// `scac lint --workspaces`: each workspace's content checked against that tenant's schema lock file, so a rule
// reading a table one customer lacks fails the pull request instead of being rejected (or auto-disabled) later.
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..", "..");
const SUB = "11111111-1111-1111-1111-111111111111";

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), "scac-lint-ws-"));
  cpSync(join(root, "content", "analytics"), join(dir, "content", "analytics"), { recursive: true });
  mkdirSync(join(dir, "content", "schemas"), { recursive: true });
  writeFileSync(join(dir, "workspaces.yaml"), [
    "workspaces:",
    `  - { name: contoso, tenantId: ${SUB}, subscriptionId: ${SUB}, resourceGroup: rg, workspace: contoso-soc, auth: none, endpoint: embedded }`,
    `  - { name: fabrikam, tenantId: ${SUB}, subscriptionId: ${SUB}, resourceGroup: rg, workspace: fabrikam-soc, auth: none, endpoint: embedded }`,
    "",
  ].join("\n"));
  const full = "tables:\n  - name: DeviceProcessEvents\n    columns: { Timestamp: datetime, TimeGenerated: datetime, DeviceName: string, DeviceId: string, InitiatingProcessFileName: string, FileName: string, FolderPath: string, ProcessCommandLine: string, AccountName: string }\n";
  writeFileSync(join(dir, "content", "schemas", "contoso.yaml"), full);
  // Fabrikam's Defender connector does not bring AccountName.
  writeFileSync(join(dir, "content", "schemas", "fabrikam.yaml"), full.replace(", AccountName: string", ""));
  return dir;
}

function lint(cwd: string, ...args: string[]) {
  return spawnSync(join(root, "node_modules", ".bin", "tsx"), [join(root, "src", "cli.ts"), "lint", ...args, "--format", "json"], { cwd, encoding: "utf8" });
}

describe("scac lint --workspaces", () => {
  it("reports the tenant whose schema lacks a column the rule reads, at the query position", () => {
    const dir = project();
    const plain = lint(dir);
    expect(plain.status, plain.stderr).toBe(0);
    const r = lint(dir, "--workspaces", "workspaces.yaml");
    expect(r.status, r.stderr).toBe(1);
    const diags = (JSON.parse(r.stdout) as { diagnostics: { file: string; line: number; rule: string; severity: string; message: string }[] }).diagnostics;
    const errors = diags.filter((d) => d.severity === "error");
    expect(errors.length).toBeGreaterThan(0);
    for (const e of errors) {
      expect(e.rule).toBe("schema/workspace");
      expect(e.file).toBe("content/analytics/webserver-executing-suspicious-applications.yaml");
      expect(e.line).toBeGreaterThan(1);
      expect(e.message).toMatch(/fabrikam/);
      expect(e.message).not.toMatch(/contoso/);
    }
    expect(errors.some((e) => /AccountName/.test(e.message))).toBe(true);
  });
});
