// Collection GETs for Sentinel resources: nextLink paging ($skipToken) plus the OData subset the metadata
// list accepts ($filter with eq/ne joined by `and`, $top, $skip, $orderby on a property path).
import { badRequest } from "./errors.js";
import type { ArmResource } from "./store.js";

export function applyListQuery(items: ArmResource[], url: URL, pageSize: number, base: string): { value: ArmResource[]; nextLink?: string } {
  const q = url.searchParams;
  let list = items;
  const filter = q.get("$filter");
  if (filter) {
    const pred = parseFilter(filter);
    list = list.filter(pred);
  }
  const orderby = q.get("$orderby");
  if (orderby) {
    const [path, dir] = orderby.trim().split(/\s+/);
    const sign = dir?.toLowerCase() === "desc" ? -1 : 1;
    list = [...list].sort((a, b) => sign * String(getPath(a, path!) ?? "").localeCompare(String(getPath(b, path!) ?? "")));
  }
  const skip = intParam(q.get("$skip"), "$skip") ?? 0;
  const top = intParam(q.get("$top"), "$top");
  list = list.slice(skip, top !== undefined ? skip + top : undefined);

  const token = q.get("$skipToken");
  let offset = 0;
  if (token !== null) {
    offset = Number.parseInt(Buffer.from(token, "base64url").toString("utf8"), 10);
    if (!Number.isInteger(offset) || offset < 0) throw badRequest(`Invalid $skipToken '${token}'.`);
  }
  const page = list.slice(offset, offset + pageSize);
  if (offset + pageSize >= list.length) return { value: page };
  const next = new URL(url.pathname, base);
  for (const [k, v] of q) if (k !== "$skipToken") next.searchParams.set(k, v);
  next.searchParams.set("$skipToken", Buffer.from(String(offset + pageSize)).toString("base64url"));
  return { value: page, nextLink: next.toString() };
}

function intParam(v: string | null, name: string): number | undefined {
  if (v === null) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw badRequest(`Invalid value '${v}' for ${name}.`);
  return n;
}

function getPath(obj: unknown, path: string): unknown {
  let cur = obj;
  for (const p of path.split("/")) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}

/** `properties/kind eq 'AnalyticsRule' and properties/source/kind ne 'Solution'` */
function parseFilter(filter: string): (r: ArmResource) => boolean {
  const clauses = filter.split(/\s+and\s+/i);
  const preds = clauses.map((c) => {
    const m = /^\s*([\w/]+)\s+(eq|ne)\s+(?:'((?:[^']|'')*)'|(true|false|null|-?\d+(?:\.\d+)?))\s*$/i.exec(c);
    if (!m) throw badRequest(`Unsupported $filter expression '${c.trim()}': the emulator supports '<property/path> eq|ne <literal>' joined by 'and'.`);
    const [, path, op, str, lit] = m;
    const want: unknown = str !== undefined ? str.replace(/''/g, "'") : lit === "null" ? null : lit === "true" ? true : lit === "false" ? false : Number(lit);
    const ne = op!.toLowerCase() === "ne";
    return (r: ArmResource) => {
      const v = getPath(r, path!) ?? null;
      const same = typeof v === "string" && typeof want === "string" ? v.toLowerCase() === want.toLowerCase() : v === want;
      return ne ? !same : same;
    };
  });
  return (r) => preds.every((p) => p(r));
}
