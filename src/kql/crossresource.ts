// Log Analytics cross-resource references — `workspace("name").Table`, `resource("/subscriptions/…").Table` —
// are Azure Monitor extensions that Kusto.Language does not know (KS211), so a Sentinel rule that queries
// several workspaces (common for MSSPs) would fail lint. They mean "this table in another database", so the
// front end re-analyses the query with each call rewritten to `database(…)` — same length, so every position
// in diagnostics and in the bound tree still points at the user's text — and with a database of that name
// declared with the workspace's own tables (the other workspace is assumed to have the same schema).

/** Rewritable calls: name → replacement of exactly the same length. */
const REWRITES: Record<string, string> = { workspace: "database ", resource: "database" };

export interface CrossResourceRewrite {
  /** Query text with the calls rewritten; same length as the original. */
  text: string;
  /** Names of the referenced workspaces/resources (string-literal arguments), each declared as a database. */
  databases: string[];
}

/** The string literal at `text[i]` (Kusto '…', "…", @'…', @"…"), or undefined. */
function stringLiteralAt(text: string, i: number): { value: string; end: number } | undefined {
  const verbatim = text[i] === "@";
  const q = text[verbatim ? i + 1 : i];
  if (q !== "'" && q !== '"') return undefined;
  let value = "";
  for (let j = verbatim ? i + 2 : i + 1; j < text.length; j++) {
    const c = text[j]!;
    if (c === q) return { value, end: j + 1 };
    if (c === "\\" && !verbatim) {
      const n = text[++j];
      value += n === "n" ? "\n" : n === "t" ? "\t" : n ?? "";
    } else if (c === "\n") return undefined;
    else value += c;
  }
  return undefined;
}

/**
 * Given the start offsets of names Kusto.Language reported as unknown functions (KS211), rewrites those that
 * are `workspace(<literal>)` / `resource(<literal>)` calls. Undefined when none is.
 */
export function rewriteCrossResource(text: string, unknownFunctionStarts: readonly number[]): CrossResourceRewrite | undefined {
  let out = text;
  const databases = new Set<string>();
  for (const start of unknownFunctionStarts) {
    const m = /^(workspace|resource)\s*\(\s*/.exec(text.slice(start, start + 64));
    if (!m) continue;
    const lit = stringLiteralAt(text, start + m[0].length);
    if (!lit || !/^\s*\)/.test(text.slice(lit.end))) continue;
    const name = m[1]!;
    out = out.slice(0, start) + REWRITES[name] + out.slice(start + name.length);
    databases.add(lit.value);
  }
  return databases.size ? { text: out, databases: [...databases] } : undefined;
}
