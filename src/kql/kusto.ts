// Loads Microsoft's Kusto.Language (Bridge.NET build) once per process. The package defines globals
// (Bridge, System, Kusto) instead of exporting modules, so it is loaded through createRequire and then read
// off globalThis. Loading costs ~170 ms, so callers import this module lazily (never at CLI start-up).
import { createRequire } from "node:module";

/* eslint-disable @typescript-eslint/no-explicit-any */
export type KAny = any;

let loaded: KAny | undefined;

export function kusto(): KAny {
  if (loaded) return loaded;
  // A start-up snapshot (see snapshot.ts) already holds an initialised Kusto.Language.
  const preloaded = (globalThis as KAny).Kusto?.Language;
  if (preloaded) return (loaded = preloaded);
  const require = createRequire(import.meta.url);
  require("@kusto/language-service-next/bridge.min.js");
  require("@kusto/language-service-next/Kusto.Language.Bridge.min.js");
  loaded = (globalThis as KAny).Kusto.Language;
  return loaded;
}

/** Bridge's System namespace (for enum names). */
export function bridgeSystem(): KAny {
  kusto();
  return (globalThis as KAny).System;
}

/** Bridge IReadOnlyList<T> → JS array. */
export function toArray<T = KAny>(list: KAny): T[] {
  const out: T[] = [];
  if (!list) return out;
  const n = list.Count;
  for (let i = 0; i < n; i++) out.push(list.getItem(i));
  return out;
}

/** Name of a SyntaxKind enum value, e.g. "FilterOperator". */
const syntaxKindNames = new Map<number, string>();

/** Name of a SyntaxKind value (memoised: Bridge's Enum.toString scans the enum and the compiler calls it per node). */
export function syntaxKindName(kind: number): string {
  let name = syntaxKindNames.get(kind);
  if (name === undefined) {
    name = bridgeSystem().Enum.toString(kusto().Syntax.SyntaxKind, kind) as string;
    syntaxKindNames.set(kind, name);
  }
  return name;
}
