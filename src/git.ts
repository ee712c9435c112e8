// Changed-only runs (`--changed [--base <ref>]`) for lint and content tests: one definition of "changed".
import { execFileSync } from "node:child_process";
import { resolve } from "node:path";

/**
 * Absolute paths of files changed on this branch since it left `base` (merge-base semantics, like a pull
 * request's diff), plus staged, unstaged and untracked files. Without `base`, only uncommitted changes count.
 * Deleted files are left out: there is nothing to lint or test.
 */
export function changedFiles(base: string | undefined, cwd = process.cwd()): Set<string> {
  const git = (args: string[]) =>
    execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).split("\n").filter(Boolean);
  const root = git(["rev-parse", "--show-toplevel"])[0]!;
  const names = new Set<string>();
  if (base) for (const f of git(["diff", "--name-only", "--diff-filter=ACMR", `${base}...HEAD`])) names.add(f);
  for (const f of git(["diff", "--name-only", "--diff-filter=ACMR", "HEAD"])) names.add(f);
  for (const f of git(["ls-files", "--others", "--exclude-standard", "--full-name"])) names.add(f);
  return new Set([...names].map((f) => resolve(root, f)));
}
