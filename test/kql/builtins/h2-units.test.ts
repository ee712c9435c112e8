// Unit conversions and format_bytes (units.ts). Expected values: each page's documented example
// (learn.microsoft.com/kusto/query/convert-<quantity>-function, format-bytes-function.md), otherwise the exact
// definition of the unit worked by hand (comment), never the code under test.
import { describe, expect, it } from "vitest";
import { call } from "./c2-helpers.js";

const R = "real" as const, S = "string" as const, L = "long" as const;
const conv = (fn: string, v: number | null, from: string, to: string) => call(fn, [R, S, S], [v, from, to]) as number | null;
const close = (actual: number | null, expected: number, rel = 1e-14) =>
  expect(Math.abs((actual as number) - expected)).toBeLessThanOrEqual(Math.abs(expected) * rel);

describe("convert_* documented examples", () => {
  it("one per quantity", () => {
    expect(conv("convert_angle", 1.2, "Degree", "Arcminute")).toBe(72);
    close(conv("convert_energy", 1.2, "Joule", "BritishThermalUnit"), 0.00113738054437598);
    expect(conv("convert_force", 1.2, "Newton", "Decanewton")).toBe(0.12);
    close(conv("convert_length", 1.2, "Meter", "Foot"), 3.93700787401575);
    close(conv("convert_mass", 1.2, "Kilogram", "Pound"), 2.64554714621853);
    close(conv("convert_speed", 1.2, "MeterPerSecond", "CentimeterPerHour"), 432000);
    close(conv("convert_volume", 1.2, "CubicMeter", "AcreFoot"), 0.0009728568);
  });
});

describe("convert_* by exact unit definitions", () => {
  it("length and speed", () => {
    close(conv("convert_length", 1, "Yard", "Inch"), 36); // 0.9144 / 0.0254
    close(conv("convert_length", 3, "Kilometer", "Meter"), 3000);
    close(conv("convert_length", 1852, "Meter", "NauticalMile"), 1);
    close(conv("convert_length", 1, "Chain", "Hand"), 198); // 66 ft / 4 in
    close(conv("convert_speed", 36, "KilometerPerHour", "MeterPerSecond"), 10);
    close(conv("convert_speed", 1, "MilePerHour", "FootPerSecond"), 0.44704 / 0.3048); // 22/15
  });
  it("angle, energy, force, mass, volume", () => {
    close(conv("convert_angle", Math.PI, "Radian", "Degree"), 180);
    close(conv("convert_angle", 1, "Revolution", "Gradian"), 400);
    close(conv("convert_energy", 1, "KilowattHour", "Kilojoule"), 3600);
    close(conv("convert_energy", 1, "Kilocalorie", "Joule"), 4184);
    close(conv("convert_force", 1, "PoundForce", "Newton"), 0.45359237 * 9.80665);
    close(conv("convert_mass", 1, "Pound", "Ounce"), 16);
    close(conv("convert_mass", 2, "Tonne", "Kilogram"), 2000);
    close(conv("convert_volume", 1, "CubicMeter", "Liter"), 1000);
    close(conv("convert_volume", 250, "Milliliter", "MetricCup"), 1);
  });
  it("same unit returns the value; null and invalid units give null (documented)", () => {
    expect(conv("convert_length", 1.2, "Meter", "Meter")).toBe(1.2);
    expect(conv("convert_length", null, "Meter", "Foot")).toBe(null);
    expect(conv("convert_length", 1, "Furlong", "Meter")).toBe(null);
    expect(conv("convert_mass", 1, "Kilogram", "")).toBe(null);
  });
  it("documented units whose factor is unconfirmed, and other letter cases, are refused", () => {
    expect(() => conv("convert_length", 1, "Mile", "Meter")).toThrow(/unsupported.*Mile/);
    expect(() => conv("convert_volume", 1, "UsGallon", "Liter")).toThrow(/unsupported/);
    expect(() => conv("convert_length", 1, "meter", "Foot")).toThrow(/unsupported.*letter case/);
  });
});

describe("format_bytes (format-bytes-function.md)", () => {
  const fb = (...a: (number | string)[]) => call("format_bytes", [R, L, S].slice(0, a.length) as ("real" | "long" | "string")[], a);
  it("documented example", () => {
    expect(fb(564)).toBe("564 Bytes");
    expect(fb(10332, 1)).toBe("10.1 KB");
    expect(fb(20010332)).toBe("19 MB");
    expect(fb(20010332, 2)).toBe("19.08 MB");
    expect(fb(20010332, 0, "KB")).toBe("19541 KB");
  });
  it("unit selection boundaries (1024-based, by hand)", () => {
    expect(fb(999)).toBe("999 Bytes");
    expect(fb(1024)).toBe("1 KB");
    expect(fb(1024 ** 3 * 3)).toBe("3 GB");
    expect(fb(0)).toBe("0 Bytes");
  });
  it("cases the docs leave open are refused", () => {
    expect(() => fb(2560)).toThrow(/unsupported.*halfway/); // 2.5 KB at precision 0
    expect(() => fb(1024, 2)).toThrow(/unsupported.*trailing/); // "1.00 KB" or "1 KB"?
    expect(() => fb(-5)).toThrow(/unsupported/);
    expect(() => fb(5, 0, "kb")).toThrow(/unsupported/);
    expect(() => fb(1023)).toThrow(/unsupported.*automatic/); // "1023 Bytes" or "1 KB"?
    expect(fb(1023, 0, "Bytes")).toBe("1023 Bytes");
  });
});
