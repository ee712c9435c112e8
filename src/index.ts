// Library API of scac (package main export). Each area adds its public entry points here.
export type { Diagnostic, Severity } from "./diagnostics.js";
export { formatDiagnostic, hasErrors, sortDiagnostics } from "./diagnostics.js";
export type { ContentItem, ContentKind, ParameterDecl, Position } from "./content/model.js";
export { loadContentFile, parseContent } from "./content/loader.js";
export type { SchemaSet, TableSchema, ColumnSchema, FunctionSchema, WatchlistSchema } from "./schemas/model.js";
export { analyze } from "./kql/frontend.js";
export type { KqlType, Value } from "./kql/values.js";
export { loadSchemas, addSchemaText } from "./schemas/loader.js";
export type { LoadedSchemas } from "./schemas/loader.js";
export { startEmulator } from "./emulator/index.js";
export type { Emulator, EmulatorOptions, EmulatorStats, TableDef as EmulatorTableDef } from "./emulator/index.js";
export { runQuery, runQueryTyped } from "./kql/engine.js";
export { KqlError } from "./kql/api.js";
export type { QueryResult, RunOptions, ResultColumnInfo, InputRows, KqlErrorKind } from "./kql/api.js";
export { formatJson, formatCsv, formatTable, resultToJson, toJsonValue } from "./kql/format.js";
export { loadTableFile, coerceRows, readRowObjects } from "./kql/data.js";
