// Gives every test file its own temporary directory (TMPDIR, which os.tmpdir() reads on each call and child
// processes inherit) and removes it when the file's tests are done, so fixtures written with
// mkdtempSync(join(tmpdir(), …)) never pile up in the machine's /tmp.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";

const base = tmpdir();
const dir = mkdtempSync(join(base, "scac-vitest-"));
process.env.TMPDIR = dir;

afterAll(() => {
  process.env.TMPDIR = base;
  rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
});
