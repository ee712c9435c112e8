// Shared by the KQL engine tests: the KqlError a query fails with (the test fails if it succeeds).
import { expect } from "vitest";
import { KqlError } from "../../src/kql/api.js";
import { runQuery } from "../../src/kql/engine.js";

export function errorOf(q: string, run: (q: string) => unknown = (x) => runQuery(x)): KqlError {
  try {
    run(q);
  } catch (e) {
    expect(e).toBeInstanceOf(KqlError);
    return e as KqlError;
  }
  throw new Error(`query succeeded: ${q}`);
}
