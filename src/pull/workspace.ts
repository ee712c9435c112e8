// One workspace of workspaces.yaml opened for reading (pull, schema pull): the resolved target and a raw ARM
// client on it, through deploy's own loader, credentials and client (embedded emulator included), so pull reads
// exactly what plan/deploy will compare against.
import type { Diagnostic } from "../diagnostics.js";
import { createArmClient, type ArmClient, type ClientOptions } from "../deploy/arm-client.js";
import { AuthConfigError, credentialFor } from "../deploy/credentials.js";
import { startEmbedded, type EmbeddedSession } from "../deploy/embedded.js";
import { EMBEDDED_ENDPOINT, readWorkspaces, type WorkspacesConfig, type WorkspaceTarget } from "../deploy/workspaces.js";

export interface OpenWorkspace {
  config: WorkspacesConfig;
  target: WorkspaceTarget;
  client: ArmClient;
  close(): Promise<void>;
}

/** Opens `name` from the workspaces file; problems are Diagnostics (never a throw for user input). */
export async function openWorkspace(file: string, name: string, client: ClientOptions = {}): Promise<{ value?: OpenWorkspace; diagnostics: Diagnostic[] }> {
  const wf = await readWorkspaces(file);
  if (!wf.value) return { diagnostics: wf.diagnostics };
  const config = wf.value;
  const target = config.workspaces.find((t) => t.name === name);
  const diag = (rule: string, message: string): Diagnostic => ({ file: config.file, line: 0, column: 0, rule, severity: "error", message });
  if (!target) {
    return { diagnostics: [...wf.diagnostics, diag("pull/unknown-workspace", `--workspace ${name}: no such workspace (known: ${config.workspaces.map((t) => t.name).join(", ") || "none"})`)] };
  }
  let embedded: EmbeddedSession | undefined;
  try {
    if (target.endpoint === EMBEDDED_ENDPOINT) embedded = await startEmbedded([target]);
    const endpoint = embedded ? embedded.urlFor(target) : target.endpoint;
    const c = createArmClient(endpoint, target.subscriptionId, credentialFor(target.auth, target.tenantId, endpoint), client);
    return { value: { config, target, client: c, close: async () => { await embedded?.close(); } }, diagnostics: wf.diagnostics };
  } catch (e) {
    await embedded?.close();
    if (e instanceof AuthConfigError) return { diagnostics: [...wf.diagnostics, diag("pull/auth", `workspace '${name}': ${e.message}`)] };
    throw e;
  }
}
