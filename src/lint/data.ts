// Static knowledge shipped in data/: ATT&CK techniques and Sentinel entity types. Loaded once, on first use.
import { readFileSync } from "node:fs";

interface AttackData {
  attackVersion: string;
  tactics: Record<string, { id: string; shortName: string }>;
  techniques: Record<string, { name: string; tactics: string[] }>;
}
interface EntityData {
  maxMappings: number;
  maxFieldMappings: number;
  types: Record<string, { identifiers: string[]; extraIdentifiers?: string[]; required: string[][] }>;
}

let attack: AttackData | undefined;
let connectors: Set<string> | undefined;
let entities: EntityData | undefined;

function readData<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../../data/${name}`, import.meta.url), "utf8")) as T;
}

export function attackData(): AttackData {
  return (attack ??= readData<AttackData>("attack-techniques.json"));
}

/** Known Sentinel data connector ids (Azure-Sentinel's ValidConnectorIds plus newer ones). */
export function connectorIds(): Set<string> {
  return (connectors ??= new Set(readData<{ connectorIds: string[] }>("connector-ids.json").connectorIds));
}

export function entityData(): EntityData {
  return (entities ??= readData<EntityData>("entity-types.json"));
}

/** Sentinel's tactic list (AttackTactic): the ATT&CK Enterprise tactics plus the two ICS ones. */
export const SENTINEL_TACTICS: readonly string[] = [
  "Reconnaissance", "ResourceDevelopment", "InitialAccess", "Execution", "Persistence", "PrivilegeEscalation",
  "DefenseEvasion", "CredentialAccess", "Discovery", "LateralMovement", "Collection", "Exfiltration",
  "CommandAndControl", "Impact", "ImpairProcessControl", "InhibitResponseFunction", "PreAttack",
];
