// Content items as scac sees them: Azure-Sentinel YAML read unchanged, plus source positions so every
// diagnostic can point at the YAML line and column (including positions inside the KQL block scalar).
import type { Document } from "yaml";
import type { KqlType } from "../kql/values.js";

export type ContentKind = "hunting" | "analytics";

export interface Position {
  line: number;
  column: number;
}

/** A per-tenant parameter a content item declares (scac extension key `parameters:`). */
export interface ParameterDecl {
  name: string;
  type: KqlType;
  /** Default value as plain JSON (arrays for dynamic lists); undefined = required. */
  default?: unknown;
  description?: string;
}

export interface ContentItem {
  /** Path as given / relative to cwd, used in diagnostics. */
  file: string;
  /** Classified by fields: `kind` present → analytics rule, otherwise hunting query. */
  kind: ContentKind;
  /** The YAML as plain data, exactly as written (keys unchanged). */
  data: Record<string, unknown>;
  /** The parsed YAML document (with ranges) for position look-ups. */
  doc: Document.Parsed;
  /** Convenience accessors (may be empty strings when missing; lint reports that). */
  id: string;
  name: string;
  query: string;
  parameters: ParameterDecl[];
  /** Position of a node by path, e.g. ["entityMappings", 0, "entityType"]; falls back to the nearest parent. */
  positionOf(path: readonly (string | number)[]): Position;
  /** Maps a 1-based line/column inside `query` to the file position. */
  queryPosition(line: number, column: number): Position;
}
