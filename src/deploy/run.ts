// `scac plan` / `scac deploy` end to end: workspaces.yaml → targets (--workspace, --shard) → catalogue →
// per workspace (in parallel): desired state, actual state, plan → render → (deploy) apply → summary.
// User problems are Diagnostics and an exit code; nothing here throws for bad input.
import { formatDiagnostic, type Diagnostic } from "../diagnostics.js";
import { applyPlan, type WorkspaceResult } from "./apply.js";
import { readActualState, ReadStateError } from "./actual.js";
import { createArmClient, type ArmClient, type ClientOptions } from "./arm-client.js";
import { loadCatalog, selectContent } from "./catalog.js";
import { AuthConfigError, credentialFor } from "./credentials.js";
import { desiredForWorkspace } from "./desired.js";
import { startEmbedded, type EmbeddedSession } from "./embedded.js";
import { SubscriptionLimiter, type LimiterOptions } from "./limiter.js";
import { planWorkspace, type Plan, type WorkspacePlan } from "./plan.js";
import { allDiagnostics, hasChanges, planJson, renderPlan, renderResults, type Format } from "./render.js";
import { EMBEDDED_ENDPOINT, readWorkspaces, type WorkspacesConfig, type WorkspaceTarget } from "./workspaces.js";

export interface RunOptions {
  workspacesFile: string;
  /** --workspace (repeatable); empty = all. */
  workspaces: string[];
  /** --shard i/n: 1-based index i of n; workspaces are dealt round-robin in file order. */
  shard?: { index: number; count: number };
  prune: boolean;
  format: Format;
  detailedExitCode: boolean;
  verbose: boolean;
  /** Library/test knobs. */
  client?: ClientOptions;
  limiter?: LimiterOptions;
  /** Progress lines on stderr for long deploys (default: when more than 50 changes). */
  progressEveryMs?: number;
}

export interface Io {
  stdout(s: string): void;
  stderr(s: string): void;
}

export interface RunResult {
  exitCode: number;
  plan?: Plan;
  results?: WorkspaceResult[];
  diagnostics: Diagnostic[];
}

export const USAGE = "[--workspaces <file>] [--workspace <name>]… [--shard i/n] [--prune] [--format text|json|markdown] [--detailed-exitcode] [--verbose]";

/** Parses plan/deploy flags; returns an error message for bad usage. */
export function parseArgs(argv: string[]): RunOptions | string {
  const o: RunOptions = { workspacesFile: "workspaces.yaml", workspaces: [], prune: false, format: "text", detailedExitCode: false, verbose: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const [flag, inline] = a.startsWith("--") && a.includes("=") ? [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)] : [a, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined || (inline === undefined && v.startsWith("--"))) throw new Error(`${flag} needs a value`);
      return v;
    };
    try {
      switch (flag) {
        case "--workspaces": o.workspacesFile = value(); break;
        case "--workspace": o.workspaces.push(value()); break;
        case "--shard": {
          const m = /^(\d+)\/(\d+)$/.exec(value());
          if (!m || Number(m[1]) < 1 || Number(m[1]) > Number(m[2])) return "--shard must be i/n with 1 ≤ i ≤ n, e.g. --shard 2/4";
          o.shard = { index: Number(m[1]), count: Number(m[2]) };
          break;
        }
        case "--prune": o.prune = true; break;
        case "--format": {
          const f = value();
          if (f !== "text" && f !== "json" && f !== "markdown") return `--format must be text, json or markdown (got '${f}')`;
          o.format = f;
          break;
        }
        case "--detailed-exitcode": o.detailedExitCode = true; break;
        case "--verbose": case "-v": o.verbose = true; break;
        default: return `unknown option '${a}'`;
      }
    } catch (e) {
      return (e as Error).message;
    }
  }
  return o;
}

export function selectTargets(config: WorkspacesConfig, opts: Pick<RunOptions, "workspaces" | "shard">): { targets: WorkspaceTarget[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  let targets = config.workspaces;
  if (opts.workspaces.length) {
    const known = new Set(targets.map((t) => t.name));
    for (const n of opts.workspaces) {
      if (!known.has(n)) diagnostics.push({ file: config.file, line: 0, column: 0, rule: "deploy/unknown-workspace", severity: "error", message: `--workspace ${n}: no such workspace (known: ${[...known].join(", ")})` });
    }
    targets = targets.filter((t) => opts.workspaces.includes(t.name));
  }
  if (opts.shard) targets = targets.filter((_, i) => i % opts.shard!.count === opts.shard!.index - 1);
  return { targets, diagnostics };
}

/** Builds one client per (credential, subscription, endpoint); pacing is shared per subscription. */
function clientFactory(opts: RunOptions, embedded: EmbeddedSession | undefined, io: Io) {
  const limiter = new SubscriptionLimiter(opts.limiter);
  // --verbose: one stderr line per HTTP attempt (method, URL without query, outcome). Never headers or tokens.
  const given = opts.client?.onAttempt;
  const onAttempt: ClientOptions["onAttempt"] = opts.verbose
    ? (a) => { given?.(a); io.stderr(`${a.method} ${a.url} → ${a.status ?? a.error ?? "?"}`); }
    : given;
  const clients = new Map<string, ArmClient>();
  return (t: WorkspaceTarget): ArmClient => {
    const endpoint = t.endpoint === EMBEDDED_ENDPOINT ? embedded!.urlFor(t) : t.endpoint;
    const key = JSON.stringify([t.auth, t.tenantId, t.subscriptionId.toLowerCase(), endpoint]);
    let c = clients.get(key);
    if (!c) {
      c = createArmClient(endpoint, t.subscriptionId, credentialFor(t.auth, t.tenantId, endpoint), { ...opts.client, onAttempt, limiter });
      clients.set(key, c);
    }
    return c;
  };
}

function printDiagnostics(io: Io, diags: Diagnostic[]): void {
  const seen = new Set<string>();
  for (const d of diags) {
    const s = formatDiagnostic(d);
    if (!seen.has(s)) { seen.add(s); io.stderr(s); }
  }
}

export async function runPlanOrDeploy(mode: "plan" | "deploy", opts: RunOptions, io: Io): Promise<RunResult> {
  const diagnostics: Diagnostic[] = [];
  const finish = (exitCode: number, plan?: Plan, results?: WorkspaceResult[]): RunResult => {
    printDiagnostics(io, diagnostics);
    return { exitCode, plan, results, diagnostics };
  };
  const wf = await readWorkspaces(opts.workspacesFile);
  diagnostics.push(...wf.diagnostics);
  if (!wf.value) return finish(1);
  const config = wf.value;
  const sel = selectTargets(config, opts);
  diagnostics.push(...sel.diagnostics);
  if (sel.diagnostics.length) return finish(1);
  const catalog = await loadCatalog(config.baseDir);
  diagnostics.push(...catalog.diagnostics);
  if (opts.prune && catalog.diagnostics.some((d) => d.severity === "error")) {
    diagnostics.push({ file: "", line: 0, column: 0, rule: "deploy/prune-refused", severity: "error", message: "refusing --prune while content files have errors: an item that failed to load would be deleted" });
    return finish(1);
  }

  let embedded: EmbeddedSession | undefined;
  try {
    if (sel.targets.some((t) => t.endpoint === EMBEDDED_ENDPOINT)) embedded = await startEmbedded(sel.targets.filter((t) => t.endpoint === EMBEDDED_ENDPOINT));
    const clientFor = clientFactory(opts, embedded, io);
    const workspaces = await Promise.all(sel.targets.map((t) => planTarget(t, config, catalog.items, clientFor, opts)));
    const plan: Plan = { formatVersion: 1, prune: opts.prune, workspaces };
    const planFailed = workspaces.some((w) => !w.complete) || catalog.diagnostics.length > 0;

    if (mode === "plan") {
      io.stdout(renderPlan(plan, opts.format, { verbose: opts.verbose }));
      diagnostics.push(...allDiagnostics(plan));
      const blocked = workspaces.some((w) => w.changes.some((c) => c.blocked) || w.diagnostics.some((d) => d.severity === "error"));
      return finish(planFailed || blocked ? 1 : opts.detailedExitCode && hasChanges(plan) ? 2 : 0, plan);
    }

    if (opts.format === "text") io.stdout(renderPlan(plan, "text", { verbose: opts.verbose }));
    const targets = new Map(sel.targets.map((t) => [t.name, t]));
    const every = opts.progressEveryMs ?? 2000;
    let lastProgress = Date.now();
    const results = await applyPlan(plan, targets, clientFor, {
      onProgress: ({ done, total, failed }) => {
        if (total <= 50 || (Date.now() - lastProgress < every && done < total)) return;
        lastProgress = Date.now();
        io.stderr(`deploy: ${done}/${total} changes applied${failed ? `, ${failed} failed` : ""}`);
      },
    });
    if (embedded) await embedded.flush();
    if (opts.format === "json") io.stdout(JSON.stringify(planJson(plan, results), null, 2));
    else if (opts.format === "markdown") io.stdout(`${renderPlan(plan, "markdown")}\n### Result\n\n${renderResults(results).split("\n").map((l) => (l ? `- ${l}` : l)).join("\n")}`);
    else io.stdout(`\n${renderResults(results)}`);
    diagnostics.push(...allDiagnostics(plan, results));
    const skipped = workspaces.some((w) => w.diagnostics.some((d) => d.severity === "error")); // items left out (e.g. bad parameter value)
    const failed = planFailed || skipped || results.some((r) => r.failed > 0);
    return finish(failed ? 1 : opts.detailedExitCode && hasChanges(plan) ? 2 : 0, plan, results);
  } finally {
    await embedded?.close();
  }
}

async function planTarget(
  t: WorkspaceTarget,
  config: WorkspacesConfig,
  items: Parameters<typeof selectContent>[0],
  clientFor: (t: WorkspaceTarget) => ArmClient,
  opts: RunOptions,
): Promise<WorkspacePlan> {
  const selected = selectContent(items, t);
  const desired = desiredForWorkspace(selected, t, config);
  const diagnostics = [...desired.diagnostics];
  const incomplete = (rule: string, message: string): WorkspacePlan => {
    diagnostics.push({ file: config.file, line: config.positionOf(t.origins.workspace).line, column: config.positionOf(t.origins.workspace).column, rule, severity: "error", message: `workspace '${t.name}': ${message}` });
    return { name: t.name, complete: false, changes: [], diagnostics };
  };
  let client: ArmClient;
  try {
    client = clientFor(t);
  } catch (e) {
    if (e instanceof AuthConfigError) return incomplete("deploy/auth", e.message);
    throw e;
  }
  let actual;
  try {
    actual = await readActualState(client, t);
  } catch (e) {
    if (e instanceof ReadStateError) return incomplete(e.code, `${e.message} (endpoint ${t.endpoint}, subscription ${t.subscriptionId}, workspace ${t.resourceGroup}/${t.workspace})`);
    throw e;
  }
  // Items selected here but not buildable (e.g. a bad parameter value) keep their deployed copy: never pruned.
  const built = new Set(desired.resources.map((r) => r.id.toLowerCase()));
  const keep = new Set(selected.map((c) => c.item.id.toLowerCase()).filter((id) => !built.has(id)));
  const p = planWorkspace(t, desired.resources, actual, { prune: opts.prune, keep });
  if (actual.tablesError && opts.verbose) {
    diagnostics.push({ file: "", line: 0, column: 0, rule: "deploy/tables-unknown", severity: "info", message: `workspace '${t.name}': table pre-flight skipped: ${actual.tablesError}` });
  }
  return { name: t.name, complete: true, changes: p.changes, diagnostics: [...diagnostics, ...p.diagnostics] };
}
