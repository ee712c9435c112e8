// convert_temperature (units.ts). Expected values: the page's current example (convert-temperature-function.md:
// 1.2 Kelvin → -271.95 DegreeCelsius) and fixed points of each scale worked by hand from the scale's definition
// (water freezes at 273.15 K and boils at 373.15 K; 0 °Ra = 0 K; the Sun's surface, 1 T⊙, is 5778 K).
import { describe, expect, it } from "vitest";
import { call } from "./c2-helpers.js";

const conv = (v: number | null, from: string, to: string) => call("convert_temperature", ["real", "string", "string"], [v, from, to]) as number | null;
const close = (actual: number | null, expected: number, abs = 1e-12) =>
  expect(Math.abs((actual as number) - expected)).toBeLessThanOrEqual(abs);

describe("convert_temperature", () => {
  it("documented example", () => {
    close(conv(1.2, "Kelvin", "DegreeCelsius"), -271.95);
  });
  it("freezing and boiling water on every scale (by hand)", () => {
    // °F: 32 / 212; °De: 150 / 0; °N: 0 / 33; °Ra: 491.67 / 671.67; °Ré: 0 / 80; °Rø: 7.5 / 60; m°C: 0 / 100000.
    const expected: [string, number, number][] = [
      ["DegreeFahrenheit", 32, 212], ["DegreeDelisle", 150, 0], ["DegreeNewton", 0, 33], ["DegreeRankine", 491.67, 671.67],
      ["DegreeReaumur", 0, 80], ["DegreeRoemer", 7.5, 60], ["MillidegreeCelsius", 0, 100000], ["Kelvin", 273.15, 373.15],
    ];
    for (const [unit, freeze, boil] of expected) {
      close(conv(0, "DegreeCelsius", unit), freeze, 1e-9);
      close(conv(100, "DegreeCelsius", unit), boil, 1e-9);
      close(conv(freeze, unit, "DegreeCelsius"), 0, 1e-9);
      close(conv(boil, unit, "DegreeCelsius"), 100, 1e-9);
    }
  });
  it("between two non-base scales, and the solar unit", () => {
    close(conv(-40, "DegreeFahrenheit", "DegreeCelsius"), -40, 1e-12);
    close(conv(98.6, "DegreeFahrenheit", "DegreeCelsius"), 37, 1e-12);
    expect(conv(1, "SolarTemperature", "Kelvin")).toBe(5778);
    expect(conv(2889, "Kelvin", "SolarTemperature")).toBe(0.5);
  });
  it("same unit returns the value; invalid units and null give null; other letter cases are refused", () => {
    expect(conv(1.2, "DegreeFahrenheit", "DegreeFahrenheit")).toBe(1.2);
    expect(conv(1, "Celsius", "Kelvin")).toBe(null);
    expect(conv(null, "Kelvin", "DegreeCelsius")).toBe(null);
    expect(() => conv(1, "kelvin", "DegreeCelsius")).toThrow(/unsupported.*letter case/);
  });
});
