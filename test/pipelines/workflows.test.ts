// The CI/CD templates users copy: schema-valid, hardened, and kept identical to the repository's own workflows.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const require = createRequire(import.meta.url);
const { validateWorkflow } = require("@action-validator/core") as {
  validateWorkflow(src: string): { errors: unknown[] };
};

const root = join(import.meta.dirname, "..", "..");
const ghDir = join(root, "pipelines", "github");
const templates = readdirSync(ghDir).filter((f) => f.endsWith(".yml"));
const ownWorkflows = readdirSync(join(root, ".github", "workflows")).filter((f) => f.endsWith(".yml"));
const allWorkflows = [
  ...templates.map((f) => join(ghDir, f)),
  ...ownWorkflows.map((f) => join(root, ".github", "workflows", f)),
];

type Job = { permissions?: Record<string, string>; steps?: { uses?: string; run?: string }[]; environment?: unknown; if?: string };
type Workflow = { on: Record<string, unknown>; permissions?: Record<string, string>; jobs: Record<string, Job>; concurrency?: unknown };

describe("GitHub workflow templates", () => {
  it("exist for pull requests and deploys", () => {
    expect(templates.sort()).toEqual(["scac-deploy.yml", "scac-pr.yml"]);
  });

  for (const file of allWorkflows) {
    const text = readFileSync(file, "utf8");
    const wf = parse(text) as Workflow;
    const name = file.slice(root.length + 1);

    it(`${name} validates against GitHub's workflow schema`, () => {
      expect(validateWorkflow(text).errors).toEqual([]);
    });

    it(`${name} pins every action by commit SHA`, () => {
      for (const job of Object.values(wf.jobs)) {
        for (const step of job.steps ?? []) {
          if (step.uses && !step.uses.startsWith("./")) expect(step.uses).toMatch(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/);
        }
      }
    });

    it(`${name} declares least-privilege permissions and never uses pull_request_target`, () => {
      expect(Object.keys(wf.on)).not.toContain("pull_request_target");
      expect(wf.permissions).toEqual({ contents: "read" });
      for (const job of Object.values(wf.jobs)) {
        expect(job.permissions, "each job states its permissions").toBeDefined();
        for (const [scope, level] of Object.entries(job.permissions ?? {})) {
          if (level === "write") expect(["security-events", "id-token", "pull-requests"]).toContain(scope);
        }
      }
    });
  }

  it("the repository's own workflows are the templates, unchanged", () => {
    for (const f of templates) {
      expect(readFileSync(join(root, ".github", "workflows", f), "utf8")).toBe(readFileSync(join(ghDir, f), "utf8"));
    }
  });

  it("only the deploy job gets an Azure identity with write access, behind an environment and concurrency", () => {
    const wf = parse(readFileSync(join(ghDir, "scac-deploy.yml"), "utf8")) as Workflow;
    expect(wf.concurrency).toMatchObject({ "cancel-in-progress": false });
    const deploy = wf.jobs.deploy!;
    expect(deploy.environment).toBe("production");
    expect(deploy.permissions).toEqual({ contents: "read", "id-token": "write" });
    expect(deploy.steps!.some((s) => s.run?.includes("scac deploy --shard"))).toBe(true);
    expect(Object.keys(wf.on)).not.toContain("pull_request");
  });

  it("the PR plan job never runs for forks", () => {
    const wf = parse(readFileSync(join(ghDir, "scac-pr.yml"), "utf8")) as Workflow;
    expect(wf.jobs.plan!.if).toBe("github.event.pull_request.head.repo.full_name == github.repository");
    for (const [name, job] of Object.entries(wf.jobs)) {
      if (name !== "plan") expect(job.permissions?.["id-token"]).toBeUndefined();
    }
  });
});

describe("Azure DevOps pipeline", () => {
  type Step = { task?: string; script?: string; inputs?: Record<string, unknown> };
  const ado = parse(readFileSync(join(root, "pipelines", "azure-devops", "azure-pipelines.yml"), "utf8")) as {
    stages: { stage: string; condition?: string; jobs: { job?: string; deployment?: string; environment?: string; steps?: Step[]; strategy?: { runOnce: { deploy: { steps: Step[] } } } }[] }[];
  };
  const steps = (stage: string): Step[] =>
    ado.stages.find((s) => s.stage === stage)!.jobs.flatMap((j) => j.steps ?? j.strategy?.runOnce.deploy.steps ?? []);

  it("has Validate, Plan and Deploy stages in order", () => {
    expect(ado.stages.map((s) => s.stage)).toEqual(["Validate", "Plan", "Deploy"]);
  });
  it("Validate lints with ##vso annotations and publishes JUnit test results", () => {
    const v = steps("Validate");
    expect(v.some((s) => s.script?.includes("scac lint --format azure-devops"))).toBe(true);
    expect(v.some((s) => s.script?.includes("scac test --reporter junit"))).toBe(true);
    expect(v.find((s) => s.task === "PublishTestResults@2")?.inputs).toMatchObject({ testResultsFormat: "JUnit" });
  });
  it("Deploy is a deployment job on an environment, main branch only, never for pull requests", () => {
    const stage = ado.stages.find((s) => s.stage === "Deploy")!;
    expect(stage.jobs[0]!.deployment).toBeDefined();
    expect(stage.jobs[0]!.environment).toBeTruthy();
    expect(stage.condition).toContain("refs/heads/main");
    expect(stage.condition).toContain("PullRequest");
    expect(steps("Deploy").some((s) => s.task === "AzureCLI@2")).toBe(true);
  });
});
