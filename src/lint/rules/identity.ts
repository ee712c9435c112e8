// Identity: ids are GUIDs and unique across the repository; names are unique per kind.
import { defineRule, type RepoItem } from "../rule.js";
import { GUID_RE } from "../util.js";

export const idFormat = defineRule({
  scope: "item", id: "id-format", severity: "error",
  description: "id is a GUID.",
  doc: "Sentinel uses the id as the template/rule resource name; it must never change once deployed.",
  check(ctx) {
    const id = ctx.item.data.id;
    if (id === undefined || id === null || id === "") return; // required-field reports it
    if (typeof id !== "string" || !GUID_RE.test(id)) ctx.report(["id"], `id '${String(id)}' is not a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)`);
  },
});

function duplicates(items: readonly RepoItem[], keyOf: (i: RepoItem) => string | undefined): Map<string, RepoItem[]> {
  const groups = new Map<string, RepoItem[]>();
  for (const i of items) {
    const k = keyOf(i);
    if (!k) continue;
    const g = groups.get(k) ?? [];
    g.push(i);
    groups.set(k, g);
  }
  return new Map([...groups].filter(([, g]) => g.length > 1));
}

export const idUnique = defineRule({
  scope: "repo", id: "id-unique", severity: "error",
  description: "No two content files share an id.",
  doc: "Two files with one id overwrite each other on deploy. Compared case-insensitively across every linted file.",
  check(items, report) {
    for (const [, group] of duplicates(items, (i) => (i.id ? i.id.toLowerCase() : undefined))) {
      for (const i of group) report(i, ["id"], `id ${i.id} is also used by ${group.filter((o) => o !== i).map((o) => o.file).join(", ")}`);
    }
  },
});

export const nameUnique = defineRule({
  scope: "repo", id: "name-unique", severity: "warning",
  description: "No two items of the same kind share a name.",
  doc: "Analysts find rules and hunting queries by name; duplicates (often a copy left behind) are confusing.",
  check(items, report) {
    for (const [, group] of duplicates(items, (i) => (i.name ? `${i.kind}\0${i.name.trim().toLowerCase()}` : undefined))) {
      for (const i of group) report(i, ["name"], `name '${i.name}' is also used by ${group.filter((o) => o !== i).map((o) => o.file).join(", ")}`);
    }
  },
});

export const identityRules = [idFormat, idUnique, nameUnique];
