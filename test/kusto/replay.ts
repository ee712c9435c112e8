// A local HTTP server on 127.0.0.1 that replays recorded Kusto v2 REST responses (test/fixtures/kusto/*.json),
// chosen by the exact database and query text of the request, so the real client code path runs end to end.
import { readdirSync, readFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const FIXTURES = fileURLToPath(new URL("../fixtures/kusto/", import.meta.url));

export interface Recording {
  request: { db: string; csl: string };
  status: number;
  response: unknown;
}

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: { db: string; csl: string; properties?: { Options?: Record<string, unknown> } };
}

export function recordings(): Recording[] {
  return readdirSync(FIXTURES).filter((f) => f.endsWith(".json")).sort().map((f) => JSON.parse(readFileSync(join(FIXTURES, f), "utf8")) as Recording);
}

export async function startReplay(): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const recs = recordings();
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let text = "";
    req.on("data", (c) => { text += c; });
    req.on("end", () => {
      const body = JSON.parse(text || "{}") as Received["body"];
      received.push({ path: req.url ?? "", headers: req.headers, body });
      const rec = req.method === "POST" && req.url === "/v2/rest/query" ? recs.find((r) => r.request.db === body.db && r.request.csl === body.csl) : undefined;
      res.setHeader("content-type", "application/json; charset=utf-8");
      if (!rec) {
        res.statusCode = 400;
        res.end(JSON.stringify({ error: { code: "General_BadRequest", message: "no recording", "@message": `no recorded response for db ${body.db} and query:\n${body.csl}` } }));
        return;
      }
      res.statusCode = rec.status;
      res.end(JSON.stringify(rec.response));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
