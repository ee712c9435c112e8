// Where pulled items go and how they are written: stable file names (slug of the display name; an existing file
// with the same id keeps its name; a name clash gets the id's first 8 characters), YAML in Azure-Sentinel layout
// (query and multi-line text as block literals), and a test-file skeleton per item.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Document, isScalar, Scalar, parseDocument } from "yaml";
import { tablesReadBy } from "../deploy/preflight.js";
import { slugify } from "../testing/scaffold.js";
import type { Converted, YamlData } from "./convert.js";

export interface Placement {
  item: Converted;
  /** Path relative to the output (content) directory, e.g. analytics/some-rule.yaml. */
  rel: string;
  /** A file with this id already exists there. */
  exists: boolean;
}

/**
 * id (lower case) → path relative to `root` (forward slashes) of the content YAML files already under `root`
 * (recursively; test files, schemas and fixtures excluded), so a re-pull finds an item wherever it was moved.
 */
export function existingIds(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string, rel: string) => {
    if (!existsSync(dir)) return;
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.name.startsWith(".")) continue;
      if (e.isDirectory()) {
        if (e.name !== "schemas" && e.name !== "fixtures" && e.name !== "node_modules") walk(join(dir, e.name), `${rel}${e.name}/`);
        continue;
      }
      if (!/\.ya?ml$/i.test(e.name) || /\.test\.ya?ml$/i.test(e.name)) continue;
      try {
        const id = (parseDocument(readFileSync(join(dir, e.name), "utf8")).toJS() as { id?: unknown } | null)?.id;
        if (typeof id === "string" && !out.has(id.toLowerCase())) out.set(id.toLowerCase(), `${rel}${e.name}`);
      } catch {
        // not a content file: ignore
      }
    }
  };
  walk(root, "");
  return out;
}

/**
 * File names (relative to the content root) for the items of one kind. Deterministic whatever the listing
 * order: an item whose id already has a file anywhere under the root keeps it; otherwise `<sub>/<slug>.yaml`,
 * unless another id holds that name (an existing file, or an item with a lower id), then
 * `<sub>/<slug>-<first 8 of id>.yaml`.
 */
export function place(items: readonly Converted[], root: string, sub: "analytics" | "hunting", existing = existingIds(root)): Placement[] {
  const taken = new Map<string, string>(); // path (lower case) → id (lower case)
  for (const [id, f] of existing) taken.set(f.toLowerCase(), id);
  const out: Placement[] = [];
  const sorted = [...items].sort((a, b) => a.id.toLowerCase().localeCompare(b.id.toLowerCase()));
  const free = (rel: string, id: string) => !taken.has(rel.toLowerCase()) || taken.get(rel.toLowerCase()) === id;
  for (const it of sorted) {
    const id = it.id.toLowerCase();
    const have = existing.get(id);
    if (have) {
      out.push({ item: it, rel: have, exists: true });
      continue;
    }
    const slug = slugify(it.name) || slugify(it.id) || "item";
    const short = slugify(it.id).slice(0, 8) || "x";
    let rel = `${sub}/${slug}.yaml`;
    if (!free(rel, id)) rel = `${sub}/${slug}-${short}.yaml`;
    for (let n = 2; !free(rel, id); n++) rel = `${sub}/${slug}-${short}-${n}.yaml`;
    taken.set(rel.toLowerCase(), id);
    out.push({ item: it, rel, exists: false });
  }
  return out;
}

/** The YAML text of a content item: block literals for the query and multi-line strings, no line folding. */
export function renderYaml(data: YamlData, header: string[]): string {
  const doc = new Document(data);
  for (const key of ["query", "description"]) {
    const node = doc.get(key, true);
    if (isScalar(node) && typeof node.value === "string" && (key === "query" || node.value.includes("\n"))) node.type = Scalar.BLOCK_LITERAL;
  }
  doc.commentBefore = header.map((l) => ` ${l}`).join("\n");
  return doc.toString({ lineWidth: 0 });
}

/**
 * The test-file skeleton of a pulled item (docs/content-tests.md format): one positive and one negative case
 * with their `kind:` set, so the coverage gate counts the item as covered, and expectations that cannot hold
 * without events, so both cases FAIL until someone writes real ones (an adopted rule must not look tested).
 */
export function testSkeleton(item: Converted, query: string, workspace: string, now: Date): string {
  const pinned = new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000).toISOString().replace(".000Z", "Z");
  let tables: string[] = [];
  try {
    tables = tablesReadBy(query);
  } catch {
    tables = [];
  }
  const t = tables[0] ?? "SecurityEvent";
  const analytics = item.kind === "analytics";
  const q = (s: string) => `'${s.replace(/'/g, "''")}'`;
  return [
    `# TODO: tests for ${q(item.name)}, adopted from workspace '${workspace}' by scac pull.`,
    "# Both cases are PLACEHOLDERS. Their kind: makes the coverage gate count this item as covered, but they FAIL",
    "# until you replace them: add events under tables: and state what must (not) be found (docs/content-tests.md).",
    `# The query reads: ${tables.length ? tables.join(", ") : "(no table found)"}.`,
    `now: ${pinned}`,
    "cases:",
    `  - name: ${q(`TODO: activity that ${item.name} must detect`)}`,
    "    kind: positive",
    "    # tables:",
    `    #   ${t}:`,
    "    #     - { TimeGenerated: now-10m, ... }",
    "    expect:",
    analytics ? "      alerts: { min: 1 }" : "      rows: { min: 1 }",
    "",
    `  - name: ${q("TODO: benign activity that must not be detected")}`,
    "    kind: negative",
    "    # tables:",
    `    #   ${t}:`,
    "    #     - { TimeGenerated: now-10m, ... }",
    "    expect:",
    analytics ? "      alerts: 0" : "      rows: 0",
    "      present:",
    "        - { TODO: replace this placeholder with benign events, then delete this present entry }",
    "",
  ].join("\n");
}
