// Request-body validation hook. The emulator calls `validateBody` for every ARM PUT; it returns the body to
// store (read-only fields removed) or throws an ArmError(400) naming the offending field.
import { badRequest } from "./errors.js";
import type { SchemaSet } from "../schemas/model.js";
import type { ArmResource, CollectionName, WorkspaceState } from "./store.js";

export interface ValidationContext {
  kind: CollectionName;
  apiVersion: string;
  name: string;
  ws: WorkspaceState | undefined;
  existing?: ArmResource;
  /** The workspace's schema (declared tables, functions); undefined = no schema known, skip KQL checks. */
  schemas?: SchemaSet;
}

export type BodyValidator = (ctx: ValidationContext, body: unknown) => Record<string, unknown>;

/** Shape checks every provider does before model validation. */
export function basicShape(ctx: ValidationContext, body: unknown): Record<string, unknown> {
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw badRequest("The request content was invalid: expected a JSON object.", undefined, "InvalidRequestContent");
  }
  const b = body as Record<string, unknown>;
  if (b.properties === undefined || b.properties === null || typeof b.properties !== "object" || Array.isArray(b.properties)) {
    throw badRequest(`Invalid ${ctx.kind} body: 'properties' is required and must be an object.`,
      [{ code: "Required", target: "properties", message: "'properties' is required" }]);
  }
  if (ctx.kind === "alertRules" && typeof b.kind !== "string") {
    throw badRequest("Invalid alert rule: 'kind' is required.", [{ code: "Required", target: "kind", message: "'kind' is required" }]);
  }
  return b;
}
