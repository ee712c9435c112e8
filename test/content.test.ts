// Every content test (content/**/*.test.yaml) as a vitest test named `<content name> › <case name>`, through the
// same runner core as `scac test`. A failing case throws its expected-vs-actual diff as the error message.
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";
import { formatDiagnostic } from "../src/diagnostics.js";
import { coverageGate, createContext, defaultSchemaDirs, discoverContentFiles, discoverTestFiles, fileInfo, prepareFile } from "../src/testing/runner.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const contentDir = resolve(root, "content");
const { ctx, diagnostics: schemaDiagnostics } = await createContext(defaultSchemaDirs(root));
const prepared = await Promise.all((await discoverTestFiles([contentDir])).map((f) => prepareFile(ctx, f)));

class ContentTestFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ContentTestFailure";
    this.stack = `${this.name}: ${message}`; // the diff is the useful part; a JS stack would only add noise
  }
}

for (const file of prepared) {
  for (const c of file.cases) {
    test(c.title, async () => {
      const r = await c.run();
      if (r.status !== "pass") throw new ContentTestFailure(`${r.testFile}:${r.line}:${r.column}\n${r.message ?? ""}`);
    });
  }
}

test("content schemas load without errors", () => {
  expect(schemaDiagnostics.filter((d) => d.severity === "error").map(formatDiagnostic)).toEqual([]);
});

test("coverage gate: every content item has a positive and a negative case", async () => {
  const diags = await coverageGate(ctx, await discoverContentFiles([contentDir]), prepared.map(fileInfo));
  expect(diags.map(formatDiagnostic)).toEqual([]);
});
