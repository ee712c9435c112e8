// `scac deploy`: plan, then apply the plan to every selected workspace. Exit 0 = all applied, 1 = anything
// failed (other workspaces are still deployed), 2 = usage (or, with --detailed-exitcode, changes were made).
import { parseArgs, runPlanOrDeploy, USAGE } from "../deploy/run.js";

export async function run(argv: string[]): Promise<number> {
  const opts = parseArgs(argv);
  if (typeof opts === "string") {
    console.error(`scac deploy: ${opts}\nUsage: scac deploy ${USAGE}`);
    return 2;
  }
  const r = await runPlanOrDeploy("deploy", opts, { stdout: (s) => console.log(s), stderr: (s) => console.error(s) });
  return r.exitCode;
}
