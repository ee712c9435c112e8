// `scac all` (what `npm start` runs): the main job — lint, then content tests, then deploy to the workspaces in
// workspaces.yaml (by default the embedded local emulator). Each stage is the real subcommand, so `all` can
// never drift from what the pipelines run; a failing stage stops the job before anything is deployed.
import { parseArgs } from "node:util";

interface Stage {
  name: string;
  load: () => Promise<{ run(argv: string[]): Promise<number> }>;
  argv: (workspaces: string | undefined) => string[];
}

const stages: Stage[] = [
  { name: "lint", load: () => import("./lint.js"), argv: () => [] },
  { name: "test", load: () => import("./test.js"), argv: () => [] },
  { name: "deploy", load: () => import("./deploy.js"), argv: (w) => (w ? ["--workspaces", w] : []) },
];

export async function run(argv: string[]): Promise<number> {
  let workspaces: string | undefined;
  try {
    const { values } = parseArgs({ args: argv, options: { workspaces: { type: "string" } }, strict: true });
    workspaces = values.workspaces;
  } catch (e) {
    console.error(`scac all: ${(e as Error).message}\nUsage: scac all [--workspaces <file>]`);
    return 2;
  }
  for (const stage of stages) {
    console.log(`\n── scac ${stage.name} ${"─".repeat(60 - stage.name.length)}`);
    const code = await (await stage.load()).run(stage.argv(workspaces));
    if (code !== 0) {
      console.error(`\nscac all: '${stage.name}' failed (exit ${code}); later stages were not run.`);
      return code;
    }
  }
  console.log("\nscac all: lint, tests and deploy succeeded.");
  return 0;
}
