import { describe, expect, it } from "vitest";
import { bindParameters, ParameterError } from "../src/content/parameters.js";
import { analyze } from "../src/kql/frontend.js";
import { emptySchemaSet } from "../src/schemas/model.js";

describe("parameters prelude", () => {
  const decls = [
    { name: "Hosts", type: "dynamic" as const, default: [] },
    { name: "Pattern", type: "string" as const, default: "a\\b\"c" },
  ];
  it("binds values as let statements that Kusto.Language accepts", () => {
    const { query, prelude } = bindParameters("print h = Hosts, p = Pattern", decls, { Hosts: ["web01"] });
    expect(prelude.lines).toBe(2);
    const a = analyze(query, emptySchemaSet());
    expect(a.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(a.resultColumns?.map((c) => `${c.name}:${c.type}`)).toEqual(["h:dynamic", "p:string"]);
  });
  it("rejects wrong types and undeclared names", () => {
    expect(() => bindParameters("print 1", decls, { Pattern: 5 })).toThrow(ParameterError);
    expect(() => bindParameters("print 1", decls, { Nope: 1 })).toThrow(/not declared/);
  });
});
