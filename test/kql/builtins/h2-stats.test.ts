// Special functions and statistics (stats.ts). Expected values: the documented outputs of each function's page
// (learn.microsoft.com/kusto/query/<name>-function), otherwise computed independently with mpmath at 30 digits
// (the value quoted in the comment), never by the code under test.
import { describe, expect, it } from "vitest";
import { call } from "./c2-helpers.js";

const R = "real" as const, L = "long" as const;
const num = (name: string, ...args: number[]) => call(name, args.map(() => R), args) as number;
/** Relative closeness: the docs print 15 significant digits. */
const close = (actual: number, expected: number, rel = 1e-14) =>
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(Math.abs(expected) * rel);

describe("erf / erfc", () => {
  it("erf-function.md table", () => {
    const doc: [number, number][] = [[-3, -0.999977909503001], [-2, -0.995322265018953], [-1, -0.842700792949715], [1, 0.842700792949715], [2, 0.995322265018953], [3, 0.999977909503001]];
    for (const [x, v] of doc) close(num("erf", x), v);
    expect(num("erf", 0)).toBe(0);
  });
  it("erfc-function.md table", () => {
    const doc: [number, number][] = [[-3, 1.999977909503001], [-2, 1.995322265018953], [-1, 1.842700792949715], [1, 0.157299207050285], [2, 0.00467773498104727], [3, 2.20904969985854e-5]];
    for (const [x, v] of doc) close(num("erfc", x), v);
    expect(num("erfc", 0)).toBe(1);
  });
  it("independently known values, including the far tail where 1 - erf would lose every digit", () => {
    close(num("erf", 0.5), 0.5204998778130465); // the brief's reference value
    close(num("erf", -1.9), -0.99279042923525746724);
    close(num("erfc", 0.3), 0.67137324054087258381);
    close(num("erfc", 5), 1.53745979442803485019e-12);
    expect(num("erfc", 30)).toBe(0);
    expect([num("erf", Infinity), num("erf", -Infinity), num("erfc", Infinity), num("erfc", -Infinity)]).toEqual([1, -1, 0, 2]);
    expect(Number.isNaN(num("erf", NaN))).toBe(true);
  });
  it("integers are accepted and null propagates", () => {
    expect(call("erf", [L], [1])).toBeCloseTo(0.842700792949715, 15);
    expect(call("erf", [R], [null])).toBe(null);
  });
});

describe("gamma / loggamma", () => {
  it("documented examples: gamma(5) = 24, loggamma(5) = 3.1780538303479458", () => {
    expect(num("gamma", 5)).toBe(24);
    expect(num("loggamma", 5)).toBe(3.1780538303479458);
  });
  it("non-integers, the reflection formula and large arguments", () => {
    close(num("gamma", 4.5), 11.6317283965674489291);
    close(num("gamma", 0.5), Math.sqrt(Math.PI));
    close(num("gamma", -0.5), -3.54490770181103205460);
    close(num("gamma", 0.1), 9.51350769866873128581);
    close(num("gamma", 33.3), 7.48757759652263232744e35, 1e-14);
    close(num("loggamma", 0.3), 1.09579799481807556056);
    close(num("loggamma", -2.5), -0.0562437164976740506726, 1e-13);
    close(num("loggamma", 100.5), 361.435540467777621555);
  });
  it("near the zeros of ln Γ at 1 and 2 the result keeps its relative precision", () => {
    close(num("loggamma", 1.2), -0.0853740900033158368838);
    close(num("loggamma", 2.000001), 4.227846576245292362e-7, 1e-13);
    close(num("loggamma", 0.999), 5.780385328913802382e-4, 1e-13);
    expect(num("loggamma", 1)).toBe(0);
    expect(num("loggamma", 2)).toBe(0);
  });
  it("poles and overflow are refused rather than guessed", () => {
    expect(() => num("gamma", 0)).toThrow(/unsupported/);
    expect(() => num("gamma", -3)).toThrow(/unsupported/);
    expect(() => num("gamma", 200)).toThrow(/unsupported/);
    expect(() => num("loggamma", -1)).toThrow(/unsupported/);
  });
});

describe("beta distribution", () => {
  it("beta_cdf (beta-cdf-function.md example and NaN rules)", () => {
    close(num("beta_cdf", 0.9, 10, 20), 0.999999999999959);
    expect(num("beta_cdf", 1.5, 10, 20)).toBeNaN();
    expect(num("beta_cdf", -10, 10, 20)).toBeNaN();
    expect(num("beta_cdf", 0.1, -1, 20)).toBeNaN();
    expect(num("beta_cdf", 0.1, 2, 10001)).toBeNaN();
    expect(num("beta_cdf", 0, 2, 3)).toBe(0);
    expect(num("beta_cdf", 1, 2, 3)).toBe(1);
    close(num("beta_cdf", 0.3, 2.5, 7), 0.641222462971721170811); // mpmath betainc
  });
  it("beta_pdf (beta-pdf-function.md example and NaN rules)", () => {
    close(num("beta_pdf", 0.5, 10, 20), 0.746176019310951);
    expect(num("beta_pdf", 1.5, 10, 20)).toBeNaN();
    expect(num("beta_pdf", 0, 10, 20)).toBeNaN();
    expect(num("beta_pdf", 0.1, -1, 20)).toBeNaN();
  });
  it("beta_inv (beta-inv-function.md example: p > 1 → null, alpha < 0 → NaN) inverts beta_cdf", () => {
    close(num("beta_inv", 0.1, 10, 20), 0.226415022388749);
    expect(num("beta_inv", 1.5, 10, 20)).toBe(null);
    expect(num("beta_inv", 0.1, -1, 20)).toBeNaN();
    close(num("beta_inv", 0.5, 2, 3), 0.385727568132389548275); // mpmath findroot
    close(num("beta_cdf", num("beta_inv", 0.3, 2.5, 7), 2.5, 7), 0.3, 1e-13);
  });
});

describe("welch_test", () => {
  it("two-sided p-value of the Wikipedia example cited by welch-test-function.md (p = 0.021)", () => {
    // Means and sample variances of the two documented series, then mpmath: 0.02137800146286705991543.
    const s1 = [27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4];
    const s2 = [27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4];
    const mv = (s: number[]) => {
      const m = s.reduce((a, b) => a + b) / s.length;
      return [m, s.reduce((a, b) => a + (b - m) ** 2, 0) / (s.length - 1)];
    };
    const [m1, v1] = mv(s1), [m2, v2] = mv(s2);
    close(num("welch_test", m1!, v1!, 15, m2!, v2!, 15), 0.02137800146286705991543, 1e-12);
  });
  it("identical samples give p = 1; degenerate samples are refused", () => {
    close(num("welch_test", 5, 2, 10, 5, 3, 12), 1);
    expect(() => num("welch_test", 1, 1, 1, 2, 1, 10)).toThrow(/unsupported/);
    expect(() => num("welch_test", 1, 0, 5, 2, 0, 10)).toThrow(/unsupported/);
  });
});
