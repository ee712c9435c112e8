// Public API of the workspace emulator.
export { startEmulator, isLoopbackHost, FAULT_KINDS } from "./server.js";
export type { Emulator, EmulatorOptions, EmulatorStats, EmulatorConfig, FaultKind, SeedOptions } from "./server.js";
export { API_VERSIONS } from "./arm.js";
export type { ArmResource, TableDef, WorkspaceRef } from "./store.js";
export type { ThrottleOptions, BucketSpec } from "./throttle.js";
