// In-memory state of every emulated workspace, and its JSON persistence (atomic: temp file + rename).
// Resources are stored exactly as GET returns them; lookups are case-insensitive like ARM.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

export type CollectionName = "alertRules" | "metadata" | "savedSearches";
export const COLLECTIONS: readonly CollectionName[] = ["alertRules", "metadata", "savedSearches"];

/** A stored ARM resource (id, name, type, etag, kind?, properties, systemData?). */
export type ArmResource = Record<string, unknown> & { id: string; name: string; type: string; etag: string };

export interface TableDef {
  name: string;
  columns: { name: string; type: string }[];
}

export interface WorkspaceRef {
  subscriptionId: string;
  resourceGroup: string;
  workspace: string;
}

export interface WorkspaceState extends WorkspaceRef {
  alertRules: Map<string, ArmResource>;
  metadata: Map<string, ArmResource>;
  savedSearches: Map<string, ArmResource>;
  /** Declared tables; undefined = the emulator's default table set. */
  tables?: TableDef[];
}

export function workspaceKey(ref: WorkspaceRef): string {
  return `${ref.subscriptionId}/${ref.resourceGroup}/${ref.workspace}`.toLowerCase();
}

/** ARM resource id of a workspace, in the casing it was first used with. */
export function workspaceId(ref: WorkspaceRef): string {
  return `/subscriptions/${ref.subscriptionId}/resourceGroups/${ref.resourceGroup}/providers/Microsoft.OperationalInsights/workspaces/${ref.workspace}`;
}

interface PersistedState {
  version: 1;
  workspaces: (WorkspaceRef & { tables?: TableDef[] } & Record<CollectionName, ArmResource[]>)[];
}

export class Store {
  readonly workspaces = new Map<string, WorkspaceState>();

  get(ref: WorkspaceRef): WorkspaceState | undefined {
    return this.workspaces.get(workspaceKey(ref));
  }

  ensure(ref: WorkspaceRef): WorkspaceState {
    const key = workspaceKey(ref);
    let ws = this.workspaces.get(key);
    if (!ws) {
      ws = { ...pickRef(ref), alertRules: new Map(), metadata: new Map(), savedSearches: new Map() };
      this.workspaces.set(key, ws);
    }
    return ws;
  }

  clear(): void {
    this.workspaces.clear();
  }

  toJSON(): PersistedState {
    return {
      version: 1,
      workspaces: [...this.workspaces.values()].map((ws) => ({
        ...pickRef(ws),
        ...(ws.tables ? { tables: ws.tables } : {}),
        alertRules: [...ws.alertRules.values()],
        metadata: [...ws.metadata.values()],
        savedSearches: [...ws.savedSearches.values()],
      })),
    };
  }

  load(data: unknown): void {
    const s = data as PersistedState;
    if (!s || s.version !== 1 || !Array.isArray(s.workspaces)) throw new Error("not an scac emulator state file (version 1)");
    this.clear();
    for (const w of s.workspaces) {
      const ws = this.ensure(w);
      if (w.tables) ws.tables = w.tables;
      for (const c of COLLECTIONS) for (const r of w[c] ?? []) ws[c].set(r.name.toLowerCase(), r);
    }
  }

  loadFile(file: string): boolean {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return false;
      throw e;
    }
    try {
      this.load(JSON.parse(text));
    } catch (e) {
      throw new Error(`cannot load emulator state ${file}: ${(e as Error).message}`);
    }
    return true;
  }

  /** Atomic write: a reader (or a crash) never sees a half-written file. */
  saveFile(file: string): void {
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.toJSON(), null, 1));
    renameSync(tmp, file);
  }
}

function pickRef(r: WorkspaceRef): WorkspaceRef {
  return { subscriptionId: r.subscriptionId, resourceGroup: r.resourceGroup, workspace: r.workspace };
}
