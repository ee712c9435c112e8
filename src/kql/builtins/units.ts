// Unit conversions (convert_angle/energy/force/length/mass/speed/temperature/volume) and format_bytes.
//
// Kusto's unit names and digits are those of the UnitsNet library (e.g. convert_volume(1.2, 'CubicMeter',
// 'AcreFoot') = 0.0009728568 is UnitsNet 4's 0.000810714 factor, not the exact 1233.48 m³): a value goes to the
// quantity's base unit with the unit's "to base" formula, then out with the target's "from base" formula, and a
// prefixed unit (Kilometer) applies its prefix factor to the unprefixed unit's formula. UnitsNet changed some
// factors between versions, and which version Kusto ships is not documented. So only units whose factor is an
// exact definition (0.3048 m per foot, 4.184 J per calorie…) or is confirmed by a documented example are
// converted; the other documented units raise `unsupported`. Names are matched exactly as documented; a
// documented name in another letter case is refused (the docs do not say whether case matters); any other
// name is an invalid unit → null, as documented.
// convert_temperature uses UnitsNet's Temperature formulas (base Kelvin), the same in the two versions of its
// Temperature.json checked (4.x `x` syntax, later `{x}` syntax adding MillidegreeCelsius); the page's current
// example (1.2 Kelvin → -271.95 DegreeCelsius) is that affine conversion (a 2022 version of the page printed
// 1.2 / 273.15 instead, later corrected).
import { KqlError } from "../api.js";
import { defineScalar } from "./registry.js";
import { withOptional } from "./c2-util.js";

type Fn = (x: number) => number;
interface Unit { toBase: Fn; fromBase: Fn }
/** A documented unit whose conversion factor cannot be confirmed for Kusto's UnitsNet version. */
const UNVERIFIED = "unverified" as const;
type Entry = Unit | typeof UNVERIFIED;

const PREFIX: Record<string, number> = {
  Nano: 1e-9, Micro: 1e-6, Milli: 1e-3, Centi: 1e-2, Deci: 1e-1, Deca: 1e1, Hecto: 1e2, Kilo: 1e3, Mega: 1e6,
  Giga: 1e9, Tera: 1e12,
};

class Quantity {
  readonly units = new Map<string, Entry>();
  readonly lower = new Set<string>();

  constructor(readonly fn: string) {}

  /** A unit with its UnitsNet formulas, plus its prefixed forms (prefix + name with a lower-case initial). */
  add(name: string, toBase: Fn, fromBase: Fn, prefixes: string[] = []): this {
    this.set(name, { toBase, fromBase });
    for (const p of prefixes) {
      const f = PREFIX[p]!;
      this.set(p + name[0]!.toLowerCase() + name.slice(1), { toBase: (x) => toBase(x) * f, fromBase: (x) => fromBase(x) / f });
    }
    return this;
  }

  /** x·factor to the base unit, x/factor back. */
  times(name: string, factor: number, prefixes: string[] = []): this {
    return this.add(name, (x) => x * factor, (x) => x / factor, prefixes);
  }

  unverified(...names: string[]): this {
    for (const n of names) this.set(n, UNVERIFIED);
    return this;
  }

  private set(name: string, e: Entry): void {
    this.units.set(name, e);
    this.lower.add(name.toLowerCase());
  }

  private lookup(name: string): Unit | null {
    const e = this.units.get(name);
    if (e === UNVERIFIED) throw new KqlError("unsupported", `unsupported: ${this.fn}() unit '${name}' (its conversion factor in Kusto's UnitsNet version is not confirmed)`);
    if (e) return e;
    if (this.lower.has(name.toLowerCase())) throw new KqlError("unsupported", `unsupported: ${this.fn}() unit '${name}' in a letter case other than the documented one`);
    return null;
  }

  convert(value: number, from: string, to: string): number | null {
    const f = this.lookup(from), t = this.lookup(to);
    if (!f || !t) return null;
    if (from === to) return value; // UnitsNet returns the value unchanged for the same unit
    return t.fromBase(f.toBase(value));
  }
}

const SI_PREFIXES = ["Nano", "Micro", "Milli", "Centi", "Deci", "Deca", "Hecto", "Kilo"];

const angle = new Quantity("convert_angle")
  .add("Radian", (x) => (x * 180) / Math.PI, (x) => (x / 180) * Math.PI, ["Nano", "Micro", "Milli", "Centi", "Deci"])
  .add("Degree", (x) => x, (x) => x, ["Nano", "Micro", "Milli"])
  .add("Arcminute", (x) => x / 60, (x) => x * 60)
  .add("Arcsecond", (x) => x / 3600, (x) => x * 3600)
  .times("Gradian", 0.9)
  .add("NatoMil", (x) => (x * 9) / 160, (x) => (x * 160) / 9)
  .times("Revolution", 360)
  .add("Tilt", (x) => (Math.asin(x) * 180) / Math.PI, (x) => Math.sin((x / 180) * Math.PI));

const energy = new Quantity("convert_energy")
  .add("Joule", (x) => x, (x) => x, ["Milli", "Kilo", "Mega", "Giga"])
  .times("Calorie", 4.184, ["Kilo", "Mega"])
  .times("BritishThermalUnit", 1055.05585262, ["Kilo", "Mega", "Giga"]) // confirmed by convert-energy-function.md
  .times("Erg", 1e-7)
  .times("WattHour", 3600, ["Kilo", "Mega", "Giga", "Tera"])
  .add("WattDay", (x) => x * 24 * 3600, (x) => x / (24 * 3600), ["Kilo", "Mega", "Giga", "Tera"])
  .unverified(
    "ElectronVolt", "KiloelectronVolt", "MegaelectronVolt", "GigaelectronVolt", "TeraelectronVolt", "FootPound",
    "ThermEc", "ThermUs", "ThermImperial", "DecathermEc", "DecathermUs", "DecathermImperial", "HorsepowerHour",
  );

const force = new Quantity("convert_force")
  .add("Newton", (x) => x, (x) => x, ["Micro", "Milli", "Deca", "Kilo", "Mega"])
  .add("Dyn", (x) => x / 1e5, (x) => x * 1e5)
  .times("PoundForce", 4.4482216152605095551842641431421, ["Kilo"]) // 0.45359237 kg × 9.80665 m/s², exact
  .unverified("KilogramForce", "KiloPond", "TonneForce", "Poundal", "OunceForce", "ShortTonForce");

const length = new Quantity("convert_length")
  .add("Meter", (x) => x, (x) => x, SI_PREFIXES)
  .times("Yard", 0.9144)
  .times("Foot", 0.3048)
  .add("UsSurveyFoot", (x) => (x * 1200) / 3937, (x) => (x * 3937) / 1200)
  .times("Inch", 2.54e-2)
  .times("Mil", 2.54e-5)
  .times("Microinch", 2.54e-8)
  .times("NauticalMile", 1852)
  .times("Fathom", 1.8288)
  .times("Shackle", 27.432)
  .times("Hand", 1.016e-1)
  .times("Chain", 20.1168)
  .unverified(
    "Mile", "Angstrom", "AstronomicalUnit", "DataMile", "DtpPica", "DtpPoint", "KilolightYear",
    "Kiloparsec", "LightYear", "MegalightYear", "Megaparsec", "Parsec", "PrinterPica", "PrinterPoint", "SolarRadius",
    "Twip",
  );

const mass = new Quantity("convert_mass")
  .add("Gram", (x) => x / 1e3, (x) => x * 1e3, ["Nano", "Micro", "Milli", "Centi", "Deci", "Deca", "Hecto", "Kilo"])
  .times("Tonne", 1e3, ["Kilo", "Mega"])
  .times("ShortTon", 9.0718474e2)
  .times("LongTon", 1.0160469088e3)
  .times("Pound", 0.45359237, ["Kilo", "Mega"])
  .times("Ounce", 0.028349523125)
  .unverified("EarthMass", "Grain", "LongHundredweight", "ShortHundredweight", "Slug", "SolarMass", "Stone");

const speed = new Quantity("convert_speed")
  .add("MeterPerSecond", (x) => x, (x) => x, ["Nano", "Micro", "Milli", "Centi", "Deci", "Kilo"])
  .add("MeterPerMinute", (x) => x / 60, (x) => x * 60, ["Nano", "Micro", "Milli", "Centi", "Deci", "Kilo"])
  .add("MeterPerHour", (x) => x / 3600, (x) => x * 3600, ["Milli", "Centi", "Kilo"])
  .times("FootPerSecond", 0.3048)
  .add("FootPerMinute", (x) => (x * 0.3048) / 60, (x) => (x / 0.3048) * 60)
  .add("FootPerHour", (x) => (x * 0.3048) / 3600, (x) => (x / 0.3048) * 3600)
  .add("UsSurveyFootPerSecond", (x) => (x * 1200) / 3937, (x) => (x * 3937) / 1200)
  .add("UsSurveyFootPerMinute", (x) => (x * 1200) / 3937 / 60, (x) => ((x * 3937) / 1200) * 60)
  .add("UsSurveyFootPerHour", (x) => (x * 1200) / 3937 / 3600, (x) => ((x * 3937) / 1200) * 3600)
  .times("InchPerSecond", 2.54e-2)
  .add("InchPerMinute", (x) => (x / 60) * 2.54e-2, (x) => (x / 2.54e-2) * 60)
  .add("InchPerHour", (x) => (x / 3600) * 2.54e-2, (x) => (x / 2.54e-2) * 3600)
  .times("YardPerSecond", 0.9144)
  .add("YardPerMinute", (x) => (x * 0.9144) / 60, (x) => (x / 0.9144) * 60)
  .add("YardPerHour", (x) => (x * 0.9144) / 3600, (x) => (x / 0.9144) * 3600)
  .times("MilePerHour", 0.44704)
  .unverified("Knot");

const volume = new Quantity("convert_volume")
  .add("Liter", (x) => x / 1e3, (x) => x * 1e3, ["Micro", "Milli", "Centi", "Deci", "Deca", "Hecto", "Kilo", "Mega"])
  .add("CubicMeter", (x) => x, (x) => x, ["Hecto", "Kilo"])
  .times("CubicKilometer", 1e9)
  .times("CubicHectometer", 1e6)
  .add("CubicDecimeter", (x) => x / 1e3, (x) => x * 1e3)
  .add("CubicCentimeter", (x) => x / 1e6, (x) => x * 1e6)
  .add("CubicMillimeter", (x) => x / 1e9, (x) => x * 1e9)
  .add("CubicMicrometer", (x) => x / 1e18, (x) => x * 1e18)
  .times("AuTablespoon", 2e-5)
  .times("UkTablespoon", 1.5e-5)
  .times("MetricTeaspoon", 0.5e-5)
  .times("MetricCup", 0.00025)
  .add("AcreFoot", (x) => x / 0.000810714, (x) => x * 0.000810714) // confirmed by convert-volume-function.md
  .unverified(
    "BoardFoot", "CubicFoot", "CubicInch", "CubicMile", "CubicYard", "DecausGallon", "DeciusGallon", "HectocubicFoot",
    "HectousGallon", "ImperialBeerBarrel", "ImperialGallon", "ImperialOunce", "ImperialPint", "KilocubicFoot",
    "KiloimperialGallon", "KilousGallon", "MegacubicFoot", "MegaimperialGallon", "MegausGallon", "OilBarrel",
    "UsBeerBarrel", "UsCustomaryCup", "UsGallon", "UsLegalCup", "UsOunce", "UsPint", "UsQuart", "UsTablespoon",
    "UsTeaspoon",
  );

// Affine: each formula is written as UnitsNet's C# evaluates it (left to right), so the doubles agree.
const temperature = new Quantity("convert_temperature")
  .add("Kelvin", (x) => x, (x) => x)
  .add("DegreeCelsius", (x) => x + 273.15, (x) => x - 273.15)
  .add("MillidegreeCelsius", (x) => x / 1000 + 273.15, (x) => (x - 273.15) * 1000)
  .add("DegreeDelisle", (x) => (x * -2) / 3 + 373.15, (x) => ((x - 373.15) * -3) / 2)
  .add("DegreeFahrenheit", (x) => (x * 5) / 9 + (459.67 * 5) / 9, (x) => ((x - (459.67 * 5) / 9) * 9) / 5)
  .add("DegreeNewton", (x) => (x * 100) / 33 + 273.15, (x) => ((x - 273.15) * 33) / 100)
  .add("DegreeRankine", (x) => (x * 5) / 9, (x) => (x * 9) / 5)
  .add("DegreeReaumur", (x) => (x * 5) / 4 + 273.15, (x) => ((x - 273.15) * 4) / 5)
  .add("DegreeRoemer", (x) => (x * 40) / 21 + 273.15 - (7.5 * 40) / 21, (x) => ((x - (273.15 - (7.5 * 40) / 21)) * 21) / 40)
  .times("SolarTemperature", 5778);

for (const q of [angle, energy, force, length, mass, speed, temperature, volume]) {
  defineScalar({
    name: q.fn,
    nulls: "propagate",
    overloads: [{
      params: ["real", "string", "string"], returns: "real",
      impl: (a) => q.convert(a[0] as number, a[1] as string, a[2] as string),
    }],
  });
}

// ---------- format_bytes ----------

const BYTE_UNITS = ["Bytes", "KB", "MB", "GB", "TB", "PB", "EB"];

/**
 * format_bytes(size [, precision [, units]]) (format-bytes-function.md): size / 1024^k rounded to `precision`
 * decimals, then a space and the unit; an empty unit picks the largest unit whose value is at least 1. The docs
 * leave open how exact halves round, whether trailing fraction zeros are printed, whether automatic units switch
 * at 1000 or 1024, negative sizes and other spellings of the units: those inputs are refused as unsupported.
 */
export function formatBytes(size: number, precision: number, units: string): string {
  const refuse = (why: string): never => { throw new KqlError("unsupported", `unsupported: format_bytes ${why}`); };
  if (!Number.isFinite(size) || size < 0) refuse(`of ${size}`);
  if (!Number.isInteger(precision) || precision < 0 || precision > 15) refuse(`precision ${precision}`);
  let k: number;
  if (units === "") {
    k = 0;
    while (k < BYTE_UNITS.length - 1 && size >= 1024 ** (k + 1)) k++;
  } else {
    k = BYTE_UNITS.indexOf(units);
    if (k < 0) refuse(`units '${units}'`);
  }
  const scaled = size / 1024 ** k;
  // Whether auto-selection switches units at 1000 or at 1024 is not documented: values in between are refused.
  if (units === "" && scaled >= 1000 && k < BYTE_UNITS.length - 1) refuse(`of ${size} with automatic units (${scaled} ${BYTE_UNITS[k]})`);
  if (scaled >= 1e15) refuse(`of ${size} in ${BYTE_UNITS[k]}`);
  const f = 10 ** precision;
  const shifted = scaled * f;
  if (shifted - Math.floor(shifted) === 0.5) refuse(`of a value exactly halfway between two roundings (${scaled})`);
  const rounded = Math.round(shifted) / f;
  const text = rounded.toFixed(precision);
  if (precision > 0 && /0$/.test(text)) refuse(`with trailing zero decimals (${text})`);
  return `${text} ${BYTE_UNITS[k]}`;
}

defineScalar({
  name: "format_bytes",
  nulls: "propagate",
  overloads: withOptional(["real", "long", "string"], 2, "string", (a) =>
    formatBytes(a[0] as number, a.length > 1 ? (a[1] as number) : 0, a.length > 2 ? (a[2] as string) : "")),
});
