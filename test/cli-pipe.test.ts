// A reader that closes stdout early (`scac query --batch cases.jsonl | head -1`) must end scac quietly: no
// EPIPE stack trace on stderr, exit code 0.
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";

const repo = new URL("..", import.meta.url).pathname;

it("scac query --batch piped into a reader that stops after one line exits 0 without a stack trace", async () => {
  const dir = mkdtempSync(join(tmpdir(), "scac-pipe-"));
  const cases = join(dir, "cases.jsonl");
  writeFileSync(cases, Array.from({ length: 5000 }, (_, i) => JSON.stringify({ id: `c${i}`, query: `print x = ${i}` })).join("\n"));
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli.ts", "query", "--batch", cases], { cwd: repo });
  let stderr = "";
  child.stderr.on("data", (d) => { stderr += d; });
  const first = await new Promise<string>((resolve) => {
    let buf = "";
    child.stdout.on("data", (d) => {
      buf += d;
      const nl = buf.indexOf("\n");
      if (nl >= 0) { child.stdout.destroy(); resolve(buf.slice(0, nl)); }
    });
  });
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  expect(JSON.parse(first)).toEqual({ id: "c0", columns: [{ name: "x", type: "long" }], rows: [[0]] });
  expect(stderr).not.toMatch(/EPIPE|Error|at /);
  expect(code).toBe(0);
});
