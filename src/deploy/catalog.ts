// The content catalogue deploy works from: every hunting query and analytics rule under content/ (test sidecars
// excluded), loaded once, and the per-workspace selection (include/exclude globs, tags).
import { relative, resolve, sep } from "node:path";
import picomatch from "picomatch";
import { glob } from "tinyglobby";
import { loadContentFile } from "../content/loader.js";
import type { ContentItem } from "../content/model.js";
import type { Diagnostic } from "../diagnostics.js";
import type { WorkspaceTarget } from "./workspaces.js";

export interface CatalogItem {
  item: ContentItem;
  /** Path relative to the catalogue's base directory, with forward slashes (what globs match). */
  relPath: string;
  tags: string[];
}

export const CONTENT_DIRS = ["content/hunting", "content/analytics"];

/** Loads content/hunting and content/analytics under baseDir. Unloadable files become diagnostics. */
export async function loadCatalog(baseDir: string, displayBase = process.cwd()): Promise<{ items: CatalogItem[]; diagnostics: Diagnostic[] }> {
  const files = await glob(CONTENT_DIRS.flatMap((d) => [`${d}/**/*.yaml`, `${d}/**/*.yml`]), {
    cwd: baseDir,
    ignore: ["**/*.test.yaml", "**/*.test.yml"],
  });
  files.sort();
  const diagnostics: Diagnostic[] = [];
  const items: CatalogItem[] = [];
  const byId = new Map<string, string>();
  const loaded = await Promise.all(files.map((f) => {
    const abs = resolve(baseDir, f);
    return loadContentFile(abs, relative(displayBase, abs).split(sep).join("/"));
  }));
  loaded.forEach((r, i) => {
    diagnostics.push(...r.diagnostics.filter((d) => d.severity === "error"));
    const item = r.item;
    if (!item || r.diagnostics.some((d) => d.severity === "error")) return;
    const p = item.positionOf(["id"]);
    if (!item.id) {
      diagnostics.push({ file: item.file, line: p.line, column: p.column, rule: "deploy/content-id", severity: "error", message: "content item has no id; deploy uses it as the resource name" });
      return;
    }
    const key = item.id.toLowerCase();
    const other = byId.get(key);
    if (other) {
      diagnostics.push({ file: item.file, line: p.line, column: p.column, rule: "deploy/content-duplicate-id", severity: "error", message: `id ${item.id} is also used by ${other}; both would deploy to the same resource` });
      return;
    }
    byId.set(key, item.file);
    items.push({ item, relPath: files[i]!, tags: tagsOf(item.data.tags) });
  });
  return { items, diagnostics };
}

/** Azure-Sentinel `tags:` are strings or `{ id, version }` objects (Solorigate-style); both match by name. */
function tagsOf(v: unknown): string[] {
  if (!Array.isArray(v)) return [];
  return v.flatMap((t) => (typeof t === "string" ? [t] : t && typeof t === "object" && typeof (t as { id?: unknown }).id === "string" ? [(t as { id: string }).id] : []));
}

/** The items a workspace selects: matches an include glob, no exclude glob, and (when tags are set) a tag. */
export function selectContent(items: readonly CatalogItem[], target: Pick<WorkspaceTarget, "content">): CatalogItem[] {
  const inc = picomatch(target.content.include, { dot: true });
  const exc = target.content.exclude.length ? picomatch(target.content.exclude, { dot: true }) : () => false;
  const tags = new Set(target.content.tags.map((t) => t.toLowerCase()));
  return items.filter((c) => inc(c.relPath) && !exc(c.relPath) && (tags.size === 0 || c.tags.some((t) => tags.has(t.toLowerCase()))));
}
