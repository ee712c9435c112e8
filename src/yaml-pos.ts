// Source positions inside a parsed YAML document, so every diagnostic (content, test files, workspaces.yaml) can
// point at file:line:col. One walker for all of them.
import { isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from "yaml";
import type { ErrorObject } from "ajv";
import type { Position } from "./content/model.js";

export type YamlPath = readonly (string | number)[];

/**
 * The node at `path`, falling back to the nearest existing parent. Points at the key when the value is missing
 * or when `keyOnly` asks for the last key (e.g. an unknown property).
 */
export function nodeAtPath(doc: Document, path: YamlPath, keyOnly = false): Node | undefined {
  let node: unknown = doc.contents;
  let last: Node | undefined = (doc.contents as Node | null) ?? undefined;
  for (let i = 0; i < path.length; i++) {
    const key = path[i]!;
    if (isMap(node)) {
      const pair = node.items.find((p) => String(isScalar(p.key) ? p.key.value : p.key) === String(key));
      if (!pair) break;
      if (pair.value === null || (keyOnly && i === path.length - 1)) { last = pair.key as Node; break; }
      node = pair.value;
    } else if (isSeq(node) && typeof key === "number") {
      node = node.items[key];
    } else {
      break;
    }
    if (!node) break;
    last = node as Node;
  }
  return last;
}

/** Position of the node at `path` (1:1 when the document is empty). */
export function positionAt(doc: Document, lc: LineCounter, path: YamlPath, keyOnly = false): Position {
  const last = nodeAtPath(doc, path, keyOnly);
  if (!last?.range) return { line: 1, column: 1 };
  const p = lc.linePos(last.range[0]);
  return { line: p.line, column: p.col };
}

/** JSON Pointer (Ajv's instancePath) → YAML path. */
export function pointerToPath(pointer: string): (string | number)[] {
  if (!pointer) return [];
  return pointer
    .split("/")
    .slice(1)
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/** A JSON Schema error as a one-line message naming the YAML location; `pattern` may explain a pattern in words. */
export function schemaErrorMessage(e: ErrorObject, describePattern?: (e: ErrorObject) => string | undefined): string {
  const where = e.instancePath ? e.instancePath.slice(1).replace(/\//g, ".") : "(top level)";
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case "additionalProperties": return `${where}: unknown key '${p.additionalProperty}'`;
    case "required": return `${where}: missing required key '${p.missingProperty}'`;
    case "enum": return `${where}: must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`;
    case "pattern": {
      const hint = describePattern?.(e);
      return hint ? `${where}: '${String(e.data)}' is not valid here (expected ${hint})` : `${where}: ${e.message}`;
    }
    default: return `${where}: ${e.message}`;
  }
}
