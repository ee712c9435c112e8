// `scac emulator`: runs the local Sentinel workspace emulator until SIGINT/SIGTERM.
import { parseArgs } from "node:util";
import { startEmulator, type EmulatorOptions } from "../emulator/index.js";
import { loadSchemaDirs } from "../emulator/schemas.js";

const USAGE = `Usage: scac emulator [--port <n>] [--host 127.0.0.1] [--state <file>] [--latency-ms <n>] [--fail-rate <0..1>]
                     [--seed <n>] [--no-throttle] [--omit-retry-after <0..1>] [--tables <schema dir>]… [--page-size <n>]
                     [--strict-workspaces] [--force-host]`;

function num(v: string | undefined, flag: string, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < min || n > max) throw new Error(`${flag} must be a number in ${min}..${max}, got '${v}'`);
  return n;
}

export async function run(argv: string[]): Promise<number> {
  let opts: EmulatorOptions;
  try {
    const { values } = parseArgs({
      args: argv,
      options: {
        port: { type: "string" }, host: { type: "string" }, state: { type: "string" },
        "latency-ms": { type: "string" }, "fail-rate": { type: "string" }, seed: { type: "string" },
        "no-throttle": { type: "boolean" }, "omit-retry-after": { type: "string" },
        tables: { type: "string", multiple: true }, "page-size": { type: "string" },
        "strict-workspaces": { type: "boolean" }, "force-host": { type: "boolean" },
      },
      strict: true, allowPositionals: false,
    });
    const omit = num(values["omit-retry-after"], "--omit-retry-after", 0, 1);
    opts = {
      port: num(values.port, "--port", 0, 65535) ?? 8089,
      host: values.host ?? "127.0.0.1",
      allowNonLoopback: values["force-host"] ?? false,
      state: values.state,
      latencyMs: num(values["latency-ms"], "--latency-ms", 0, 600_000),
      failRate: num(values["fail-rate"], "--fail-rate", 0, 1),
      seed: num(values.seed, "--seed", 0, 2 ** 32 - 1),
      throttle: values["no-throttle"] ? false : omit !== undefined ? { omitRetryAfter: omit } : true,
      pageSize: num(values["page-size"], "--page-size", 1, 10_000),
      autoCreateWorkspaces: !values["strict-workspaces"],
    };
    if (values.tables?.length) {
      const loaded = await loadSchemaDirs(values.tables);
      for (const p of loaded.problems) console.error(p);
      opts.schemas = loaded.schemas;
    }
  } catch (e) {
    console.error(`scac emulator: ${(e as Error).message}\n${USAGE}`);
    return 2;
  }

  let emu;
  try {
    emu = await startEmulator(opts);
  } catch (e) {
    console.error(`scac emulator: ${(e as Error).message}`);
    return 1;
  }
  console.log(`scac emulator listening on ${emu.url}`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
  await emu.close();
  return 0;
}
