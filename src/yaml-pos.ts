// Source positions inside a parsed YAML document, so every test-file diagnostic can point at file:line:col.
import { isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from "yaml";
import type { Position } from "../content/model.js";

export type YamlPath = readonly (string | number)[];

/** Position of the node at `path`, falling back to the nearest existing parent (1:1 for the document). */
export function positionAt(doc: Document, lc: LineCounter, path: YamlPath, keyOnly = false): Position {
  let node: unknown = doc.contents;
  let last: Node | undefined = (doc.contents as Node | null) ?? undefined;
  for (let i = 0; i < path.length; i++) {
    const key = path[i]!;
    if (isMap(node)) {
      const pair = node.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === key);
      if (!pair) break;
      // Point at the key when the value is missing or when the caller wants the key (unknown property).
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
  if (!last?.range) return { line: 1, column: 1 };
  const p = lc.linePos(last.range[0]);
  return { line: p.line, column: p.col };
}

/** Splits an Ajv/JSON-pointer instance path ("/cases/0/expect") into YAML path segments. */
export function pointerToPath(pointer: string): (string | number)[] {
  if (!pointer) return [];
  return pointer
    .split("/")
    .slice(1)
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}
