// Control endpoints under /_emulator/ (stats, reset, config, seeding, portal edits, tables, scheduler). They
// drive the emulator through its public API and are never counted, throttled, delayed or faulted.
import type { IncomingMessage, ServerResponse } from "node:http";
import { ArmError, badRequest } from "./errors.js";
import { send } from "./http.js";
import type { Emulator, SeedOptions } from "./server.js";
import type { TableDef } from "./store.js";

export async function onControl(emu: Emulator, req: IncomingMessage, res: ServerResponse, url: URL, body: string | undefined): Promise<void> {
  try {
    const r = route(emu, req.method ?? "GET", url, body);
    send(res, r.status, r.body);
  } catch (e) {
    const err = e instanceof ArmError ? e : badRequest((e as Error).message);
    send(res, err.status, err.body());
  }
}

function route(emu: Emulator, method: string, url: URL, body: string | undefined): { status: number; body?: unknown } {
  const p = url.pathname.slice("/_emulator".length);
  const q = url.searchParams;
  const json = () => {
    try { return body ? JSON.parse(body) : {}; } catch (e) { throw badRequest(`invalid JSON: ${(e as Error).message}`); }
  };
  const seedOptions = (): SeedOptions => ({
    validate: q.get("validate") === "true",
    apiVersion: q.get("api-version") ?? undefined,
    principal: q.get("principal") ? { name: q.get("principal")!, type: "User" } : undefined,
  });
  const ok = (b?: unknown) => ({ status: 200, body: b });

  if (p === "/stats" && method === "GET") return ok(emu.stats());
  if (p === "/stats/reset" && method === "POST") { emu.resetStats(); return ok(emu.stats()); }
  if (p === "/reset" && method === "POST") { emu.reset(); return ok({ reset: true }); }
  if (p === "/config" && method === "GET") return ok(emu.config());
  if (p === "/config" && (method === "PUT" || method === "PATCH")) return ok(emu.configure(json()));
  if (p === "/state" && method === "GET") return ok(emu.store.toJSON());
  if (p === "/run-rules" && method === "POST") return ok(emu.runScheduledRules(q.get("workspace") ?? undefined));

  if (p.startsWith("/resources/")) {
    const path = p.slice("/resources".length);
    if (method === "PUT") return ok(emu.seed(path, json(), seedOptions()));
    if (method === "PATCH") return ok(emu.edit(path, json(), seedOptions()));
    if (method === "GET") {
      const r = emu.read(path);
      if (!r) throw new ArmError(404, "ResourceNotFound", `no resource at ${path}`);
      return ok(r);
    }
    if (method === "DELETE") return { status: emu.remove(path) ? 200 : 204 };
  }
  if (p.startsWith("/workspaces/")) {
    const rest = p.slice("/workspaces".length);
    const tables = /\/tables$/i.test(rest);
    const ws = tables ? rest.replace(/\/tables$/i, "") : rest;
    if (tables && method === "PUT") {
      const b = json();
      const list = Array.isArray(b) ? b : b.tables;
      if (!Array.isArray(list)) throw badRequest("expected [{name, columns:[{name,type}]}] or {tables:[...]}");
      emu.setTables(ws, list as TableDef[]);
      return ok({ tables: emu.tables(ws) });
    }
    if (tables && method === "DELETE") { emu.setTables(ws, undefined); return ok({ tables: emu.tables(ws) }); }
    if (tables && method === "GET") return ok({ tables: emu.tables(ws) });
    if (!tables && method === "PUT") { emu.declareWorkspace(ws); return ok({ workspace: ws }); }
  }
  throw new ArmError(404, "NotFound", `unknown control endpoint ${method} /_emulator${p}`);
}
