// Every command line the CI templates run is executed here, in a throw-away git repository made from this
// repository's content, against the embedded workspace emulator — so a renamed flag or a changed output breaks
// this build, not a customer's pipeline.
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";

const root = join(import.meta.dirname, "..", "..");
const tsx = join(root, "node_modules", ".bin", "tsx");
const cli = join(root, "src", "cli.ts");

interface PipelineCommand {
  source: string;
  line: string;
}

/** `run:` (GitHub) and `script:`/`inlineScript:` (Azure DevOps) lines that call scac or a repository script. */
function pipelineCommands(): PipelineCommand[] {
  const out: PipelineCommand[] = [];
  const visit = (node: unknown, source: string) => {
    if (Array.isArray(node)) node.forEach((n) => visit(n, source));
    else if (node && typeof node === "object") {
      for (const [k, v] of Object.entries(node)) {
        if ((k === "run" || k === "script" || k === "inlineScript") && typeof v === "string") {
          for (const line of v.split("\n").map((l) => l.trim())) {
            if (/\bnpx (scac|zx scripts\/)/.test(line)) out.push({ source, line });
          }
        } else visit(v, source);
      }
    }
  };
  for (const f of ["pipelines/github/scac-pr.yml", "pipelines/github/scac-deploy.yml", "pipelines/azure-devops/azure-pipelines.yml"]) {
    visit(parse(readFileSync(join(root, f), "utf8")), f);
  }
  return out;
}

let repo: string;
let staging: string;

beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), "scac-pipeline-"));
  staging = join(repo, "staging");
  for (const p of ["content", "workspaces.yaml", "scripts"]) cpSync(join(root, p), join(repo, p), { recursive: true });
  if (existsSync(join(root, ".scaclint.yaml"))) cpSync(join(root, ".scaclint.yaml"), join(repo, ".scaclint.yaml"));
  const git = (...args: string[]) => execFileSync("git", args, { cwd: repo, stdio: "pipe" });
  git("init", "-q", "-b", "main");
  git("-c", "user.email=ci@example.com", "-c", "user.name=ci", "add", ".");
  git("-c", "user.email=ci@example.com", "-c", "user.name=ci", "commit", "-qm", "base");
  git("update-ref", "refs/remotes/origin/main", "HEAD"); // what actions/checkout with fetch-depth 0 provides
  // A pull request that touches the seed analytics rule, so changed-only runs have something to do.
  const rule = join(repo, "content", "analytics", "webserver-executing-suspicious-applications.yaml");
  writeFileSync(rule, readFileSync(rule, "utf8").replace("description: |\n", "description: |\n  Reviewed in a pull request.\n"));
  git("-c", "user.email=ci@example.com", "-c", "user.name=ci", "commit", "-qam", "reword the description");
  execFileSync("mkdir", ["-p", staging]);
});

afterAll(() => {
  if (repo) rmSync(repo, { recursive: true, force: true });
});

function runLine(line: string) {
  // Pipeline expressions → the values a run would have.
  const cmd = line
    .replace(/\$\{\{ github\.base_ref \}\}/g, "main")
    .replace(/\$\{\{ matrix\.shard \}\}/g, "1")
    .replace(/\$\(Build\.ArtifactStagingDirectory\)/g, staging)
    .replace(/"\$GITHUB_STEP_SUMMARY"/g, join(staging, "summary.md"))
    .replace(/\bnpx scac\b/g, `${tsx} ${cli}`)
    .replace(/\bnpx zx\b/g, join(root, "node_modules", ".bin", "zx"));
  const env = { ...process.env };
  delete env.GITHUB_ACTIONS;
  delete env.TF_BUILD;
  return spawnSync("bash", ["-c", cmd], { cwd: repo, encoding: "utf8", env, timeout: 120_000 });
}

const commands = pipelineCommands();

describe("pipeline command lines", () => {
  it("the templates call lint, test, plan, deploy and coverage", () => {
    const verbs = new Set(commands.map((c) => /npx scac (\w+)/.exec(c.line)?.[1]).filter(Boolean));
    expect([...verbs].sort()).toEqual(["coverage", "deploy", "lint", "plan", "test"]);
  });

  // Order matters for files one step writes and a later one reads (tests → junit summary).
  for (const c of commands) {
    it(`${c.source}: ${c.line}`, () => {
      const r = runLine(c.line);
      expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
      if (c.line.includes("--format sarif")) {
        const sarif = JSON.parse(readFileSync(join(repo, "scac-lint.sarif"), "utf8"));
        expect(sarif.version).toBe("2.1.0");
      }
      if (c.line.includes("--reporter junit")) {
        const file = c.line.includes("Build.ArtifactStagingDirectory") ? join(staging, "scac-tests.xml") : join(repo, "scac-tests.xml");
        expect(readFileSync(file, "utf8")).toMatch(/<testsuites?\b[\s\S]*<testcase\b/);
      }
      if (c.line.includes("junit-summary")) expect(readFileSync(join(staging, "summary.md"), "utf8")).toMatch(/\d+ passed, 0 failed/);
      if (c.line.includes("scac plan")) {
        const file = c.line.includes("Build.ArtifactStagingDirectory") ? join(staging, "scac-plan.md") : join(repo, "scac-plan.md");
        expect(readFileSync(file, "utf8")).toMatch(/local/);
      }
    });
  }
});
