// scac command-line entry. Subcommands load lazily so `scac --help` stays fast (Kusto.Language, the Azure SDK
// and the engine are only loaded by the commands that need them).
import { pathToFileURL } from "node:url";

interface Command {
  summary: string;
  usage: string;
  load: () => Promise<{ run(argv: string[]): Promise<number> }>;
}

const commands: Record<string, Command> = {
  lint: {
    summary: "Validate content YAML, metadata and KQL",
    usage: "scac lint [paths…] [--schemas <dir>]… [--format text|json|sarif|github|azure-devops] [--output-file <f>] [--config <file>] [--cache] [--changed [--base <ref>]] [--jobs <n>] [--workspaces <file>]",
    load: () => import("./commands/lint.js"),
  },
  query: {
    summary: "Run a KQL query on the local engine over sample events",
    usage: "scac query (-e <kql> | --file <f.kql> | stdin) [--table Name=file.json|.jsonl|.csv]… [--now <ISO>] [--format table|json|csv] [--batch <cases.jsonl>] [--externaldata <url>=<file>]…",
    load: () => import("./commands/query.js"),
  },
  test: {
    summary: "Run content unit tests (sidecar *.test.yaml files)",
    usage: "scac test [paths…] [--reporter default|junit|github-actions|json] [--output-file <f>] [--update] [--watch] [--changed [--base <ref>]] [--schemas <dir>]… [--coverage-gate error|warning|off] [--workers <n>] [--engine local|kusto --cluster <uri> [--database <db>]]",
    load: () => import("./commands/test.js"),
  },
  simulate: {
    summary: "Show what Sentinel would do with an analytics rule over given events",
    usage: "scac simulate <rule.yaml> [--table Name=file]… [--watchlist alias=file]… [--watchlist-key alias=column]… [--externaldata url=file]… [--now <ISO>] [--param name=value]… [--format text|json]",
    load: () => import("./commands/simulate.js"),
  },
  new: {
    summary: "Scaffold a content item and its test file",
    usage: "scac new hunting|analytics <name>",
    load: () => import("./commands/new.js"),
  },
  plan: {
    summary: "Show what deploy would change in each workspace",
    usage: "scac plan [--workspaces <file>] [--workspace <name>]… [--shard i/n] [--prune] [--format text|json|markdown] [--detailed-exitcode] [--verbose]",
    load: () => import("./commands/plan.js"),
  },
  deploy: {
    summary: "Reconcile content to every selected workspace",
    usage: "scac deploy [--workspaces <file>] [--workspace <name>]… [--shard i/n] [--prune] [--format text|json|markdown] [--detailed-exitcode] [--verbose]",
    load: () => import("./commands/deploy.js"),
  },
  emulator: {
    summary: "Run the local Sentinel workspace emulator (ARM endpoints)",
    usage: "scac emulator [--port <n>] [--state <file>] [--latency-ms <n>] [--fail-rate <0..1>]",
    load: () => import("./commands/emulator.js"),
  },
  coverage: {
    summary: "ATT&CK coverage of the content (Navigator layer, Markdown)",
    usage: "scac coverage [paths…] [--format markdown|navigator] [--output-file <f>]",
    load: () => import("./commands/coverage.js"),
  },
  pull: {
    summary: "Adopt a live workspace's analytics rules and hunting queries as content YAML",
    usage: "scac pull --workspace <name> [--workspaces <file>] [--output <dir>] [--overwrite]",
    load: () => import("./commands/pull.js"),
  },
  export: {
    summary: "Export content as ARM templates (Sentinel Repositories format)",
    usage: "scac export arm [paths…] [--output <dir>]",
    load: () => import("./commands/export.js"),
  },
  schema: {
    summary: "Pull a workspace's tables, functions and watchlists into content/schemas/<workspace>.yaml",
    usage: "scac schema pull --workspace <name> [--workspaces <file>] [--output <file>] | scac schema check [--workspaces <file>] [--workspace <name>]…",
    load: () => import("./commands/schema.js"),
  },
  all: {
    summary: "The main job: lint → content tests → deploy to the workspaces (default: embedded local emulator)",
    usage: "scac all [--workspaces <file>]",
    load: () => import("./commands/all.js"),
  },
};

function help(): string {
  const width = Math.max(...Object.keys(commands).map((k) => k.length));
  const lines = [
    "scac — Sentinel content-as-code",
    "",
    "Usage: scac <command> [options]",
    "",
    "Commands:",
    ...Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    "",
    "Run `scac <command> --help` for a command's options.",
  ];
  return lines.join("\n");
}

let pipeGuarded = false;

/** A reader that closes the pipe early (`scac query --batch … | head`) ends the output, without a stack trace. */
function guardClosedPipe(): void {
  if (pipeGuarded) return;
  pipeGuarded = true;
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code !== "EPIPE") throw e;
    process.exit(typeof process.exitCode === "number" ? process.exitCode : 0);
  });
}

export async function main(argv: string[]): Promise<number> {
  guardClosedPipe();
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    console.log(help());
    return name ? 0 : 2;
  }
  if (name === "--version" || name === "-v") {
    console.log("scac 0.1.0");
    return 0;
  }
  const cmd = commands[name];
  if (!cmd) {
    console.error(`scac: unknown command '${name}'\n\n${help()}`);
    return 2;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    console.log(`Usage: ${cmd.usage}`);
    return 0;
  }
  let mod: { run(argv: string[]): Promise<number> };
  try {
    mod = await cmd.load();
  } catch (e) {
    console.error(`scac: command '${name}' is not available in this build (${(e as Error).message})`);
    return 2;
  }
  return mod.run(rest);
}

// Run directly (tsx src/cli.ts …) as well as through bin/scac.js.
if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main(process.argv.slice(2)).then(
    (code) => { process.exitCode = code; },
    (err) => { console.error(`scac: internal error: ${err?.message ?? err}`); process.exitCode = 2; },
  );
}
