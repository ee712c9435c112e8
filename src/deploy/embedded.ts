// `endpoint: embedded`: the workspace emulator runs in-process for the duration of a plan/deploy, on a free
// loopback port, with its state in a JSON file (default .scac-emulator.json beside workspaces.yaml), so the
// shipped default deploys offline and a second run finds everything in place ("no changes").
import type { Emulator } from "../emulator/index.js";
import type { WorkspaceTarget } from "./workspaces.js";

export interface EmbeddedSession {
  urlFor(t: WorkspaceTarget): string;
  flush(): Promise<void>;
  close(): Promise<void>;
}

export async function startEmbedded(targets: readonly WorkspaceTarget[]): Promise<EmbeddedSession> {
  const { startEmulator } = await import("../emulator/index.js"); // loaded only when a target needs it
  const byState = new Map<string, Emulator>();
  try {
    for (const t of targets) {
      const state = t.emulatorState!;
      if (!byState.has(state)) byState.set(state, await startEmulator({ port: 0, state }));
    }
  } catch (e) {
    await Promise.all([...byState.values()].map((e2) => e2.close()));
    throw e;
  }
  return {
    urlFor: (t) => byState.get(t.emulatorState!)!.url,
    flush: async () => { await Promise.all([...byState.values()].map((e) => e.flush())); },
    close: async () => { await Promise.all([...byState.values()].map((e) => e.close())); },
  };
}
