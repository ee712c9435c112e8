// Small temp projects for runner tests: content + test files written to a fresh directory.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

export function tempProject(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "scac-test-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

export const HUNT_SECURITYEVENT = `id: 6f0e2d1c-1111-4a4a-8b8b-0c0c0c0c0c0c
name: Process Hunt
description: |
  test content
requiredDataConnectors: []
tactics: [Execution]
relevantTechniques: [T1059]
query: |
  SecurityEvent
  | where EventID == 4688
  | project TimeGenerated, Computer, CommandLine
`;
