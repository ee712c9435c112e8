// Loads Azure-Sentinel-format content YAML with source positions. One bad file yields diagnostics and never
// stops the others.
import { readFile, stat } from "node:fs/promises";
import { isScalar, LineCounter, parseDocument, type Document, type Node } from "yaml";
import type { Diagnostic } from "../diagnostics.js";
import { normalizeTypeName, type KqlType } from "../kql/values.js";
import type { ContentItem, ContentKind, ParameterDecl, Position } from "./model.js";
import { nodeAtPath } from "../yaml-pos.js";

/** Refuse files larger than this: real content is a few KB; this guards against accidental data dumps. */
export const MAX_CONTENT_BYTES = 1024 * 1024;
/** Alias expansion cap (billion-laughs guard). Real content uses no aliases at all. */
export const MAX_ALIAS_COUNT = 50;

export interface LoadResult {
  item?: ContentItem;
  diagnostics: Diagnostic[];
}

export async function loadContentFile(file: string, displayPath = file): Promise<LoadResult> {
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch (e) {
    return { diagnostics: [d(displayPath, 0, 0, "io", `cannot read file: ${(e as Error).message}`)] };
  }
  if (size > MAX_CONTENT_BYTES) {
    return { diagnostics: [d(displayPath, 0, 0, "file-too-large", `file is ${size} bytes; content files are limited to ${MAX_CONTENT_BYTES}`)] };
  }
  const text = await readFile(file, "utf8");
  return parseContent(text, displayPath);
}

function d(file: string, line: number, column: number, rule: string, message: string): Diagnostic {
  return { file, line, column, rule, severity: "error", message };
}

export function parseContent(text: string, file: string): LoadResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, strict: true });
  const diagnostics: Diagnostic[] = [];
  const pos = (offset: number): Position => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  for (const e of doc.errors) {
    const p = pos(e.pos[0]);
    const rule = e.code === "DUPLICATE_KEY" ? "yaml-duplicate-key" : "yaml-syntax";
    diagnostics.push(d(file, p.line, p.column, rule, firstLine(e.message)));
  }
  if (doc.errors.length > 0) return { diagnostics };
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    return { diagnostics: [d(file, 1, 1, "yaml-alias-bomb", firstLine((e as Error).message))] };
  }
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    return { diagnostics: [d(file, 1, 1, "yaml-not-mapping", "a content file must be a YAML mapping (key: value pairs)")] };
  }
  const record = data as Record<string, unknown>;
  const kind: ContentKind = "kind" in record ? "analytics" : "hunting";

  const nodeAt = (path: readonly (string | number)[]): Node | undefined => nodeAtPath(doc, path);
  const positionOf = (path: readonly (string | number)[]): Position => {
    const n = nodeAt(path);
    return n?.range ? pos(n.range[0]) : { line: 1, column: 1 };
  };

  const query = typeof record.query === "string" ? record.query : "";
  const queryPosition = makeQueryMapper(text, nodeAt(["query"]), pos);

  const parameters: ParameterDecl[] = [];
  const rawParams = record.parameters;
  if (rawParams && typeof rawParams === "object" && !Array.isArray(rawParams)) {
    for (const [name, spec] of Object.entries(rawParams as Record<string, unknown>)) {
      const s = (spec ?? {}) as Record<string, unknown>;
      const type: KqlType = (typeof s.type === "string" && normalizeTypeName(s.type)) || "dynamic";
      parameters.push({ name, type, default: s.default, description: typeof s.description === "string" ? s.description : undefined });
    }
  }

  const item: ContentItem = {
    file,
    kind,
    data: record,
    doc: doc as Document.Parsed,
    id: typeof record.id === "string" ? record.id : record.id === undefined ? "" : String(record.id),
    name: typeof record.name === "string" ? record.name : "",
    query,
    parameters,
    positionOf,
    queryPosition,
  };
  return { item, diagnostics };
}

function firstLine(s: string): string {
  return s.split("\n")[0]!.trim();
}

/**
 * Builds the query-position → file-position mapping. Block scalars (`|`, `>`) start on the line after the
 * indicator, each content line shifted by the block's indentation; single-line scalars shift by their column
 * (+1 for the opening quote).
 */
function makeQueryMapper(
  text: string,
  node: Node | undefined,
  pos: (offset: number) => Position,
): (line: number, column: number) => Position {
  if (!node || !isScalar(node) || !node.range) return () => ({ line: 1, column: 1 });
  const start = pos(node.range[0]);
  if (node.type === "BLOCK_LITERAL" || node.type === "BLOCK_FOLDED") {
    const lines = text.split(/\r?\n/);
    let indent = 0;
    for (let i = start.line; i < lines.length; i++) {
      const l = lines[i]!;
      if (l.trim() === "") continue;
      indent = l.length - l.trimStart().length;
      break;
    }
    return (line, column) => ({ line: start.line + line, column: indent + column });
  }
  const quoted = node.type === "QUOTE_DOUBLE" || node.type === "QUOTE_SINGLE" ? 1 : 0;
  return (line, column) => (line <= 1 ? { line: start.line, column: start.column + quoted + column - 1 } : { line: start.line + line - 1, column });
}
