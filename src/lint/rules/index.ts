// The explicit rule index: every rule scac runs or reports, in documentation order.
import type { Rule } from "../rule.js";
import { attackRules } from "./attack.js";
import { builtinRules } from "./builtin.js";
import { detailRules } from "./details.js";
import { entityRules } from "./entities.js";
import { fieldRules } from "./fields.js";
import { identityRules } from "./identity.js";
import { kqlRules } from "./kql.js";
import { parameterRules } from "./parameters.js";
import { scheduleRules } from "./schedule.js";

export const ALL_RULES: readonly Rule[] = [
  ...builtinRules, ...fieldRules, ...identityRules, ...scheduleRules, ...attackRules, ...entityRules, ...detailRules, ...kqlRules, ...parameterRules,
];

export const RULES_BY_ID: ReadonlyMap<string, Rule> = new Map(ALL_RULES.map((r) => [r.id, r]));
