// `scac plan`: what deploy would change in each selected workspace (text, JSON or Markdown). Exit 0 = planned
// (with --detailed-exitcode: 0 = no changes, 2 = changes), 1 = errors (unreadable workspace, blocked change,
// bad workspaces.yaml or content), 2 = usage.
import { parseArgs, runPlanOrDeploy, USAGE } from "../deploy/run.js";

export async function run(argv: string[]): Promise<number> {
  const opts = parseArgs(argv);
  if (typeof opts === "string") {
    console.error(`scac plan: ${opts}\nUsage: scac plan ${USAGE}`);
    return 2;
  }
  const r = await runPlanOrDeploy("plan", opts, { stdout: (s) => console.log(s), stderr: (s) => console.error(s) });
  return r.exitCode;
}
