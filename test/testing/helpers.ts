// Small temp projects for runner tests: content + test files written to a fresh directory.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { runSession, type SessionResult } from "../../src/testing/session.js";

/** The fixture project: passing cases, two deliberately failing ones, an untested item, a missing negative case. */
export const project = resolve(import.meta.dirname, "../fixtures/testing/project");

let cached: Promise<SessionResult> | undefined;
export function projectSession(): Promise<SessionResult> {
  cached ??= runSession({ paths: [resolve(project, "content")], schemaDirs: [] });
  return cached;
}

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
