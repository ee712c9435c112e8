// Datetime and timespan builtins. Values are bigint 100 ns ticks (values.ts), so every result keeps Kusto's
// tick precision. Semantics follow learn.microsoft.com/kusto/query/<function>-function; see
// docs/kql-builtins-other.md for the modelling choices.
import { KqlError } from "../api.js";
import type { KqlType, Value } from "../values.js";
import {
  TICKS_PER_DAY, TICKS_PER_HOUR, TICKS_PER_MINUTE, TICKS_PER_MS, TICKS_PER_SECOND,
} from "../values.js";
import { defineScalar } from "./registry.js";
import { MAX_TICKS, MIN_TICKS, civil, dayStart, daysInMonth, fromCivil, inRange, runtimeError, withOptional, type Civil } from "./c2-util.js";
import { exactLong, exactLongFromBig } from "../int64.js";

const TICKS_PER_WEEK = 7n * TICKS_PER_DAY;
/** .NET DateTime ticks of 1970-01-01: Kusto bins datetimes relative to 0001-01-01, so weekly bins start on Monday. */
const DOTNET_EPOCH_OFFSET = 719_162n * TICKS_PER_DAY;

const floorDiv = (a: bigint, b: bigint): bigint => {
  const q = a / b;
  return (a % b !== 0n && (a < 0n) !== (b < 0n)) ? q - 1n : q;
};

/** Rounds a finite JS number of ticks to a bigint; null when not finite. */
function ticksOf(x: number): bigint | null {
  return Number.isFinite(x) ? BigInt(Math.round(x)) : null;
}

// ---------- now / ago ----------

defineScalar({
  name: "now",
  nulls: "propagate",
  overloads: withOptional(["timespan"], 1, "datetime", (a, ctx) => shifted(ctx.now + ((a[0] as bigint | undefined) ?? 0n), "now")),
});

defineScalar({
  name: "ago",
  nulls: "propagate",
  overloads: [{ params: ["timespan"], returns: "datetime", impl: (a, ctx) => shifted(ctx.now - (a[0] as bigint), "ago") }],
});

// now(offset) and ago(t) are now ± t: a result outside Kusto's datetime range is refused, as for the + and −
// operators (runtime/ops.ts) — ago(3650000d) printed year −7967.
function shifted(t: bigint, fn: string): bigint {
  if (t >= MIN_TICKS && t <= MAX_TICKS) return t;
  throw new KqlError("unsupported", `unsupported: ${fn}() result outside Kusto's datetime range (0001-01-01 .. 9999-12-31)`);
}

// ---------- calendar parts ----------

const part = (name: string, returns: KqlType, f: (c: Civil, t: bigint) => Value, aliases?: string[]) =>
  defineScalar({
    name, aliases, nulls: "propagate",
    overloads: [{ params: ["datetime"], returns, impl: (a) => f(civil(a[0] as bigint), a[0] as bigint) }],
  });

function dayOfYear(c: Civil): number {
  return Number((fromCivil(c.year, c.month, c.day) - fromCivil(c.year, 1, 1)) / TICKS_PER_DAY) + 1;
}

/** ISO 8601 week number: week 1 holds the year's first Thursday (datetime_part docs, week_of_year). */
function isoWeek(c: Civil): number {
  const dow = (c.weekday + 6) % 7; // Monday = 0
  const thursday = fromCivil(c.year, c.month, c.day - dow + 3);
  const ty = civil(thursday).year;
  return Number((thursday - fromCivil(ty, 1, 1)) / TICKS_PER_WEEK) + 1;
}

part("getyear", "int", (c) => c.year);
part("getmonth", "int", (c) => c.month);
part("monthofyear", "int", (c) => c.month);
part("dayofmonth", "int", (c) => c.day);
part("dayofyear", "int", dayOfYear);
part("hourofday", "int", (c) => c.hour);
part("week_of_year", "int", isoWeek);
// dayofweek is the timespan elapsed since the preceding Sunday.
part("dayofweek", "timespan", (c) => BigInt(c.weekday) * TICKS_PER_DAY);

const PARTS: Record<string, (c: Civil) => number> = {
  year: (c) => c.year,
  quarter: (c) => Math.floor((c.month - 1) / 3) + 1,
  month: (c) => c.month,
  week_of_year: isoWeek,
  day: (c) => c.day,
  dayofyear: dayOfYear,
  hour: (c) => c.hour,
  minute: (c) => c.minute,
  second: (c) => c.second,
  millisecond: (c) => Math.floor(c.fraction / 10_000),
  microsecond: (c) => Math.floor(c.fraction / 10),
  nanosecond: (c) => c.fraction * 100,
};

defineScalar({
  name: "datetime_part",
  aliases: ["datepart"],
  nulls: "propagate",
  overloads: [{
    params: ["string", "datetime"], returns: "int",
    impl: (a) => {
      const f = PARTS[(a[0] as string).toLowerCase()];
      if (!f) throw runtimeError(`datetime_part: unknown part '${String(a[0])}'`);
      return f(civil(a[1] as bigint));
    },
  }],
});

// ---------- datetime_add / datetime_diff ----------

function addMonths(t: bigint, months: number): bigint | null {
  const c = civil(t);
  const total = c.year * 12 + (c.month - 1) + months;
  const y = Math.floor(total / 12), m = (total % 12) + 1;
  if (y < 1 || y > 9999) return null;
  // .NET AddMonths clamps the day to the target month's length.
  const d = Math.min(c.day, daysInMonth(y, m));
  return fromCivil(y, m, d) + (t - dayStart(t));
}

const FIXED_PERIOD: Record<string, bigint> = {
  week: TICKS_PER_WEEK, day: TICKS_PER_DAY, hour: TICKS_PER_HOUR, minute: TICKS_PER_MINUTE,
  second: TICKS_PER_SECOND, millisecond: TICKS_PER_MS, microsecond: 10n,
};

defineScalar({
  name: "datetime_add",
  nulls: "propagate",
  overloads: [{
    params: ["string", "long", "datetime"], returns: "datetime",
    impl: (a) => {
      const p = (a[0] as string).toLowerCase();
      const n = Math.trunc(a[1] as number);
      const t = a[2] as bigint;
      if (p === "year") return addMonths(t, n * 12);
      if (p === "quarter") return addMonths(t, n * 3);
      if (p === "month") return addMonths(t, n);
      if (p === "nanosecond") return inRange(t + BigInt(n) / 100n); // sub-tick nanoseconds are dropped
      const unit = FIXED_PERIOD[p];
      if (unit === undefined) throw runtimeError(`datetime_add: unknown period '${String(a[0])}'`);
      return inRange(t + BigInt(n) * unit);
    },
  }],
});

function startOfWeekTicks(t: bigint): bigint {
  return dayStart(t) - BigInt(civil(t).weekday) * TICKS_PER_DAY;
}

// datetime_diff counts period boundaries crossed (documented example: 'day' between 2017-10-29 00:00 and
// 2017-09-30 23:59 is 29), i.e. both values truncated to the period, then subtracted.
defineScalar({
  name: "datetime_diff",
  nulls: "propagate",
  overloads: [{
    params: ["string", "datetime", "datetime"], returns: "long",
    impl: (a) => {
      const p = (a[0] as string).toLowerCase();
      const t1 = a[1] as bigint, t2 = a[2] as bigint;
      const c1 = civil(t1), c2 = civil(t2);
      switch (p) {
        case "year": return c1.year - c2.year;
        case "quarter": return (c1.year * 4 + Math.floor((c1.month - 1) / 3)) - (c2.year * 4 + Math.floor((c2.month - 1) / 3));
        case "month": return (c1.year * 12 + c1.month) - (c2.year * 12 + c2.month);
        // Tick differences are exact bigints; as a long they must stay within the engine's exact range (int64.ts).
        case "week": return exactLongFromBig((startOfWeekTicks(t1) - startOfWeekTicks(t2)) / TICKS_PER_WEEK, "datetime_diff() result");
        case "nanosecond": return exactLongFromBig((t1 - t2) * 100n, "datetime_diff() result");
        default: {
          const unit = FIXED_PERIOD[p];
          if (unit === undefined || p === "week") throw runtimeError(`datetime_diff: unknown period '${String(a[0])}'`);
          return exactLongFromBig(floorDiv(t1, unit) - floorDiv(t2, unit), "datetime_diff() result");
        }
      }
    },
  }],
});

// ---------- startof / endof ----------

type Start = (t: bigint, offset: number) => bigint | null;

const starts: Record<string, Start> = {
  day: (t, o) => inRange(dayStart(t) + BigInt(o) * TICKS_PER_DAY),
  week: (t, o) => inRange(startOfWeekTicks(t) + BigInt(o) * TICKS_PER_WEEK),
  month: (t, o) => { const c = civil(t); return addMonths(fromCivil(c.year, c.month, 1), o); },
  year: (t, o) => { const c = civil(t); return addMonths(fromCivil(c.year, 1, 1), o * 12); },
};

for (const [unit, start] of Object.entries(starts)) {
  defineScalar({
    name: `startof${unit}`,
    nulls: "propagate",
    overloads: withOptional(["datetime", "long"], 1, "datetime", (a) => start(a[0] as bigint, Number(a[1] ?? 0))),
  });
  defineScalar({
    name: `endof${unit}`,
    nulls: "propagate",
    overloads: withOptional(["datetime", "long"], 1, "datetime", (a) => {
      const next = start(a[0] as bigint, Number(a[1] ?? 0) + 1);
      return next === null ? null : inRange(next - 1n);
    }),
  });
}

// ---------- constructors ----------

defineScalar({
  name: "make_datetime",
  nulls: "propagate",
  overloads: [3, 4, 5, 6].map((n) => ({
    params: Array.from({ length: n }, () => "real" as const),
    returns: "datetime" as const,
    impl: (a: Value[]) => {
      const [y, mo, d, h = 0, mi = 0, s = 0] = a as number[];
      if (![y, mo, d, h, mi].every(Number.isInteger)) return null;
      if (y! < 1 || y! > 9999 || mo! < 1 || mo! > 12 || d! < 1 || d! > daysInMonth(y!, mo!)) return null;
      if (h < 0 || h > 23 || mi < 0 || mi > 59 || !(s >= 0 && s < 60)) return null;
      const frac = ticksOf(s * 1e7);
      if (frac === null) return null;
      return fromCivil(y!, mo!, d!, h, mi) + frac;
    },
  })),
});

function timespanOf(days: number, hours: number, minutes: number, seconds: number): bigint | null {
  const whole = [days, hours, minutes].every(Number.isInteger);
  if (!whole) return null;
  // make-timespan-function.md: hour 0-23, minute 0-59, second 0 to 59.9999999, "Otherwise, the result will be
  // null" — whether values outside those ranges fail (null) or carry over (.NET's TimeSpan) is not shown: refused.
  if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59 || !(seconds >= 0 && seconds < 60)) {
    throw new KqlError("unsupported", `unsupported: make_timespan() with a component outside its documented range (${hours} h, ${minutes} min, ${seconds} s)`);
  }
  const s = ticksOf(seconds * 1e7);
  if (s === null) return null;
  return BigInt(days) * TICKS_PER_DAY + BigInt(hours) * TICKS_PER_HOUR + BigInt(minutes) * TICKS_PER_MINUTE + s;
}

defineScalar({
  name: "make_timespan",
  nulls: "propagate",
  overloads: [
    { params: ["long", "long"], returns: "timespan", impl: (a) => timespanOf(0, a[0] as number, a[1] as number, 0) },
    { params: ["long", "long", "real"], returns: "timespan", impl: (a) => timespanOf(0, a[0] as number, a[1] as number, a[2] as number) },
    { params: ["long", "long", "long", "real"], returns: "timespan", impl: (a) => timespanOf(a[0] as number, a[1] as number, a[2] as number, a[3] as number) },
  ],
});

/** unixtime_*_todatetime: integral inputs stay exact; fractional ones round to the nearest tick. */
function unixTime(name: string, ticksPerUnit: bigint, divide = 1n): void {
  defineScalar({
    name,
    nulls: "propagate",
    overloads: [{
      params: ["real"], returns: "datetime",
      impl: (a) => {
        const x = a[0] as number;
        if (!Number.isFinite(x)) return null;
        if (Number.isSafeInteger(x)) return inRange((BigInt(x) * ticksPerUnit) / divide);
        const t = ticksOf((x * Number(ticksPerUnit)) / Number(divide));
        return t === null ? null : inRange(t);
      },
    }],
  });
}
unixTime("unixtime_seconds_todatetime", TICKS_PER_SECOND);
unixTime("unixtime_milliseconds_todatetime", TICKS_PER_MS);
unixTime("unixtime_microseconds_todatetime", 10n);
unixTime("unixtime_nanoseconds_todatetime", 1n, 100n);

// ---------- bin / floor / bin_at ----------

/**
 * bin of numbers. For two integers (a long result) floor of the double quotient is the exact integer quotient,
 * and the product is exact unless it falls below −(2^53 − 1), where it is refused (int64.ts).
 */
function binNumber(v: number, size: number, types?: KqlType[]): number | null {
  if (size === 0) throw zeroBin();
  if (!(size > 0)) return null;
  const r = Math.floor(v / size) * size;
  return types && types.every(isIntegral) ? exactLong(r, "bin() result") : r;
}
const isIntegral = (t: KqlType): boolean => t === "int" || t === "long";

// bin-function.md: "Null values, a null bin size, or a negative bin size will result in null"; a zero size is
// not covered (refused).
const zeroBin = (): KqlError => new KqlError("unsupported", "unsupported: bin() with a bin size of 0 (undocumented)");

function binTicks(v: bigint, size: bigint, origin: bigint): bigint | null {
  if (size === 0n) throw zeroBin();
  if (size <= 0n) return null;
  return origin + floorDiv(v - origin, size) * size;
}

/**
 * bin() of a datetime, aligned to 0001-01-01. Hot in `summarize by bin(TimeGenerated, 1h)`: bin sizes that divide
 * a day align identically to the Unix epoch (the offset is whole days), so one remainder suffices, and the result
 * stays in range because 0001-01-01 is day-aligned.
 */
function binDatetime(v: bigint, size: bigint): bigint | null {
  if (size === 0n) throw zeroBin();
  if (size <= 0n) return null;
  if (TICKS_PER_DAY % size === 0n) {
    let r = v % size;
    if (r < 0n) r += size;
    return v - r;
  }
  const r = binTicks(v, size, -DOTNET_EPOCH_OFFSET);
  return r === null ? null : inRange(r);
}

/**
 * binDatetime for one constant size, remembering recent bins in a small direct-mapped cache: every BigInt
 * result is a new heap object, and `summarize … by bin(Timestamp, 1h)` meets the same few bins millions of
 * times. The cache returns the identical bigint value binDatetime would compute.
 */
function cachedBinDatetime(size: bigint): ((v: Value) => Value) | undefined {
  if (size <= 0n || TICKS_PER_DAY % size !== 0n) return undefined;
  const SLOTS = 1024;
  const starts: (bigint | undefined)[] = new Array(SLOTS).fill(undefined);
  const ends: bigint[] = new Array(SLOTS).fill(0n);
  const width = Number(size);
  return (x) => {
    const v = x as bigint;
    // The slot only needs to be stable for one bin: an approximate (floating-point) bin number is enough.
    const slot = Math.floor(Number(v) / width) & (SLOTS - 1);
    const start = starts[slot];
    if (start !== undefined && v >= start && v < ends[slot]!) return start;
    const b = binDatetime(v, size)!;
    starts[slot] = b;
    ends[slot] = b + size;
    return b;
  };
}

const widest = (t: KqlType[]): KqlType =>
  t.some((x) => x === "real" || x === "decimal") ? "real" : t.some((x) => x === "long") ? "long" : (t[0] ?? "long");

defineScalar({
  name: "bin",
  aliases: ["floor"],
  nulls: "propagate",
  overloads: [
    {
      params: ["datetime", "timespan"], returns: "datetime", impl: (a) => binDatetime(a[0] as bigint, a[1] as bigint),
      specialize: (k) => cachedBinDatetime(k[1] as bigint),
    },
    { params: ["timespan", "timespan"], returns: "timespan", impl: (a) => binTicks(a[0] as bigint, a[1] as bigint, 0n) },
    {
      params: ["numeric", "numeric"], returns: widest,
      impl: (a, _ctx, types) => binNumber(a[0] as number, a[1] as number, types),
    },
  ],
});

defineScalar({
  name: "bin_at",
  nulls: "propagate",
  overloads: [
    {
      params: ["datetime", "timespan", "datetime"], returns: "datetime",
      impl: (a) => { const r = binTicks(a[0] as bigint, a[1] as bigint, a[2] as bigint); return r === null ? null : inRange(r); },
    },
    { params: ["timespan", "timespan", "timespan"], returns: "timespan", impl: (a) => binTicks(a[0] as bigint, a[1] as bigint, a[2] as bigint) },
    {
      params: ["numeric", "numeric", "numeric"], returns: widest,
      impl: (a, _ctx, types) => {
        const [v, size, fixed] = a as number[];
        const integral = types.every(isIntegral);
        const r = binNumber(integral ? exactLong(v! - fixed!, "bin_at() result") : v! - fixed!, size!, types);
        return r === null ? null : integral ? exactLong(r + fixed!, "bin_at() result") : r + fixed!;
      },
    },
  ],
});

// ---------- format_datetime / format_timespan ----------

const DELIMITERS = new Set([" ", "/", "-", ":", ",", ".", "_", "[", "]"]);

/** Splits a format into runs of one repeated letter and single delimiters; rejects anything else. */
function tokens(fmt: string, fn: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < fmt.length;) {
    const ch = fmt[i]!;
    if (DELIMITERS.has(ch)) { out.push(ch); i++; continue; }
    if (!/[A-Za-z]/.test(ch)) throw new KqlError("unsupported", `${fn}: format character '${ch}' is not a supported delimiter`);
    let j = i;
    while (j < fmt.length && fmt[j] === ch) j++;
    out.push(fmt.slice(i, j));
    i = j;
  }
  return out;
}

/**
 * `f…`/`F…` fraction digits from a 7-digit tick fraction; F trims trailing zeros and prints nothing for zero
 * (the pages' tables: ".0500000" with F → no output). Whether the '.' just before an F that prints nothing is
 * dropped too (.NET's custom formats drop it) is not documented: refused.
 */
function fraction(tok: string, frac: number, out: string, fn: string): string {
  const digits = frac.toString().padStart(7, "0").slice(0, tok.length);
  if (tok[0] === "f") return digits;
  const s = digits.replace(/0+$/, "");
  if (s === "" && out.endsWith(".")) {
    throw new KqlError("unsupported", `${fn}: '.${tok}' with a zero fraction (whether the '.' is kept is not documented)`);
  }
  return s;
}

const pad = (v: number, w: number) => String(v).padStart(w, "0");

function formatDatetimeWith(t: bigint, fmt: string): string {
  const c = civil(t);
  let out = "";
  for (const tok of tokens(fmt, "format_datetime")) {
    const k = tok[0]!, n = tok.length;
    if (DELIMITERS.has(tok)) { out += tok; continue; }
    if ((k === "f" || k === "F") && n <= 7) { out += fraction(tok, c.fraction, out, "format_datetime"); continue; }
    const two = (v: number) => (n === 1 ? String(v) : n === 2 ? pad(v, 2) : null);
    let s: string | null = null;
    switch (k) {
      case "d": s = two(c.day); break;
      case "M": s = two(c.month); break;
      case "H": s = two(c.hour); break;
      case "h": s = two(c.hour % 12 || 12); break;
      case "m": s = two(c.minute); break;
      case "s": s = two(c.second); break;
      case "y": s = n === 4 ? pad(c.year, 4) : two(c.year % 100); break;
      case "t": s = n === 2 ? (c.hour < 12 ? "AM" : "PM") : null; break;
    }
    if (s === null) throw new KqlError("unsupported", `format_datetime: format element '${tok}' is not supported`);
    out += s;
  }
  return out;
}

function formatTimespanWith(t: bigint, fmt: string): string {
  // format-timespan-function.md shows positive intervals only; whether and where a negative one's sign is
  // printed (.NET's custom formats print none) is not documented: refused.
  if (t < 0n) throw new KqlError("unsupported", "format_timespan of a negative timespan (the sign's placement is not documented)");
  let v = t;
  const days = v / TICKS_PER_DAY; v %= TICKS_PER_DAY;
  const hours = Number(v / TICKS_PER_HOUR); v %= TICKS_PER_HOUR;
  const minutes = Number(v / TICKS_PER_MINUTE); v %= TICKS_PER_MINUTE;
  const seconds = Number(v / TICKS_PER_SECOND); v %= TICKS_PER_SECOND;
  const frac = Number(v);
  let out = "";
  for (const tok of tokens(fmt, "format_timespan")) {
    const k = tok[0]!, n = tok.length;
    if (DELIMITERS.has(tok)) { out += tok; continue; }
    if ((k === "f" || k === "F") && n <= 7) { out += fraction(tok, frac, out, "format_timespan"); continue; }
    const two = (x: number) => (n === 1 ? String(x) : n === 2 ? pad(x, 2) : null);
    let s: string | null = null;
    switch (k) {
      case "d": s = n <= 8 ? days.toString().padStart(n, "0") : null; break;
      case "H": case "h": s = two(hours); break;
      case "m": s = two(minutes); break;
      case "s": s = two(seconds); break;
    }
    if (s === null) throw new KqlError("unsupported", `format_timespan: format element '${tok}' is not supported`);
    out += s;
  }
  return out;
}

defineScalar({
  name: "format_datetime",
  nulls: "propagate",
  overloads: [{ params: ["datetime", "string"], returns: "string", impl: (a) => formatDatetimeWith(a[0] as bigint, a[1] as string) }],
});

defineScalar({
  name: "format_timespan",
  nulls: "propagate",
  overloads: [{ params: ["timespan", "string"], returns: "string", impl: (a) => formatTimespanWith(a[0] as bigint, a[1] as string) }],
});

// ---------- time zones ----------

const zoneFormatters = new Map<string, Intl.DateTimeFormat>();

function zoneFormatter(tz: string): Intl.DateTimeFormat {
  let f = zoneFormatters.get(tz);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat("en-US", {
        timeZone: tz, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric",
        hour: "numeric", minute: "numeric", second: "numeric",
      });
    } catch {
      throw runtimeError(`unknown time zone '${tz}'`);
    }
    zoneFormatters.set(tz, f);
  }
  return f;
}

/** UTC → local wall clock of an IANA zone (ICU's tz database): unambiguous, so exact. */
function utcToLocal(t: bigint, tz: string): bigint | null {
  const ms = floorDiv(t, TICKS_PER_MS);
  const sub = t - ms * TICKS_PER_MS;
  const parts: Record<string, number> = {};
  for (const p of zoneFormatter(tz).formatToParts(new Date(Number(ms)))) {
    if (p.type !== "literal") parts[p.type] = Number(p.value);
  }
  const wall = fromCivil(parts.year!, parts.month!, parts.day!, parts.hour!, parts.minute!, parts.second!);
  const msPart = ((ms % 1000n) + 1000n) % 1000n;
  return inRange(wall + msPart * TICKS_PER_MS + sub);
}

defineScalar({
  name: "datetime_utc_to_local",
  nulls: "propagate",
  overloads: [{ params: ["datetime", "string"], returns: "datetime", impl: (a) => utcToLocal(a[0] as bigint, a[1] as string) }],
});
