// Placeholder: full OpenAPI + service-rule validation lands in the next step.
import type { BodyValidator } from "./validate.js";
import { basicShape } from "./validate.js";

export function createArmValidator(_opts: { serverDefaults: () => boolean }): BodyValidator {
  return basicShape;
}
