// Text → datetime / timespan with Kusto's documented formats only (scalar-data-types/datetime.md "Supported
// formats", scalar-data-types/timespan.md, totimespan-function.md). Kusto also accepts other shapes through .NET
// parsing (todatetime-function.md compares todatetime('12-02-2022') with a literal but never shows its value), so
// text is sorted three ways:
//   - a documented format            → its value (all ranges checked exactly: Feb 30, hour 25 → null);
//   - garbage (no digit, or a word that names no date part) → null, as todatetime()/totimespan() document;
//   - anything else date/time-shaped → "refused": Kusto's reading is undocumented (month/day order, AM/PM, zone
//     names, two-digit year windows…), and a guessed value would be a silent wrong answer.
import { KqlError } from "./api.js";
import { TICKS_PER_DAY, TICKS_PER_HOUR, TICKS_PER_MINUTE, TICKS_PER_MS, TICKS_PER_SECOND, utcMs } from "./values.js";

/** A parse outcome: the value, null (not a datetime/timespan), or a refusal with its reason. */
export type TextParse = { value: bigint | null } | { refused: string };

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MIN_TICKS = BigInt(utcMs(1, 1, 1)!) * TICKS_PER_MS;
const MAX_TICKS = BigInt(utcMs(9999, 12, 31, 23, 59, 59)!) * TICKS_PER_MS + TICKS_PER_SECOND - 1n;
const MAX_TIMESPAN = 2n ** 63n - 1n; // .NET TimeSpan.MaxValue in ticks (10675199.02:48:05.4775807)

// ISO 8601 and "sortable": %Y-%m-%d[(T| )%H:%M[:%s]][%z| GMT]. Month/day may have one digit as in the sortable
// forms (%n, %e) and day-of-week-function.md's datetime(1970-5-12); %z (Z, ±hh:mm, ±hhmm) follows seconds in the
// ISO forms only.
const ISO = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:?\d{2}| GMT)?)?$/;
// RFC 822 (`Sat, 8 Nov 14 15:05:02 GMT`) and RFC 850 (`Saturday, 08-Nov-14 15:05:02 GMT`), weekday and zone
// optional, two-digit year, as their tables show them (month names capitalised).
const RFC = /^(?:([A-Z][a-z]+), )?(\d{1,2})([ -])([A-Z][a-z]{2})\3(\d{2}) (\d{2}):(\d{2})(?::(\d{2}))?( GMT)?$/;
// parse-operator.md's example reads "02/17/2016 08:40:01" as 2016-02-17 08:40:01: month first, shown only with a
// day above 12. With a day of 12 or less the text also reads day-first, and which order Kusto tries is not
// documented, so only days 13-31 are accepted.
const MDY = /^(\d{2})\/(\d{2})\/(\d{4}) (\d{2}):(\d{2}):(\d{2})$/;

/** Parses datetime text; see the module comment for the three outcomes. */
export function classifyDatetimeText(text: string): TextParse {
  if (text === "") return { value: null };
  const iso = ISO.exec(text);
  if (iso) return isoValue(iso);
  const rfc = RFC.exec(text);
  if (rfc) return rfcValue(rfc);
  const mdy = MDY.exec(text);
  if (mdy && Number(mdy[2]) > 12 && Number(mdy[1]) <= 12) {
    return { value: civilTicks(Number(mdy[3]), Number(mdy[1]), Number(mdy[2]), Number(mdy[4]), Number(mdy[5]), Number(mdy[6])) };
  }
  return dateShaped(text) ? { refused: "not one of the documented datetime formats" } : { value: null };
}

function isoValue(m: RegExpExecArray): TextParse {
  const [, y, mo, d, h, mi, se, frac, zone] = m;
  const twoDigitDate = mo!.length === 2 && d!.length === 2;
  if (zone && zone !== " GMT" && (se === undefined || !twoDigitDate)) {
    return { refused: "a zone offset without seconds or with a one-digit month or day" };
  }
  if (frac && frac.length > 7 && /[1-9]/.test(frac.slice(7))) {
    return { refused: "more than 7 fraction digits (truncation or rounding is not documented)" };
  }
  if (h === "24" || se === "60") return { refused: "hour 24 or second 60" };
  let t = civilTicks(Number(y), Number(mo), Number(d), Number(h ?? 0), Number(mi ?? 0), Number(se ?? 0));
  if (t === null) return { value: null };
  t += BigInt(((frac ?? "") + "0000000").slice(0, 7));
  if (zone && zone !== "Z" && zone !== " GMT") {
    const zh = Number(zone.slice(1, 3)), zm = Number(zone.slice(-2));
    if (zh > 14 || zm > 59) return { refused: `the zone offset ${zone}` };
    const off = BigInt(zh * 60 + zm) * TICKS_PER_MINUTE;
    t = zone[0] === "+" ? t - off : t + off;
    if (t < MIN_TICKS || t > MAX_TICKS) return { refused: "a zone offset moving the value outside years 0001-9999" };
  }
  return { value: t };
}

function rfcValue(m: RegExpExecArray): TextParse {
  const [, day, d, , mon, yy, h, mi, se] = m;
  const mo = MONTHS.indexOf(mon!) + 1;
  if (mo === 0) return { refused: `the month name '${mon}'` };
  // .NET's two-digit-year window (2029 in older settings, 2049 in newer) is not documented for Kusto: only years
  // read the same under both (00-29 → 2000-2029) are accepted.
  if (Number(yy) > 29) return { refused: `the two-digit year '${yy}' (Kusto's century window is not documented)` };
  const t = civilTicks(2000 + Number(yy), mo, Number(d), Number(h), Number(mi), Number(se ?? 0));
  if (t === null) return { value: null };
  if (day !== undefined) {
    const wd = new Date(Number(t / TICKS_PER_MS)).getUTCDay();
    // The tables show "Sat" (RFC 822) and "Saturday" (RFC 850) for the same %w; a weekday that contradicts the
    // date has no documented reading.
    if (day !== DAYS[wd] && day !== DAYS[wd]!.slice(0, 3)) return { refused: `the weekday '${day}' (not the date's weekday)` };
  }
  return { value: t };
}

function civilTicks(y: number, mo: number, d: number, h: number, mi: number, s: number): bigint | null {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return null;
  const ms = utcMs(y, mo, d, h, mi, s);
  return ms === null ? null : BigInt(ms) * TICKS_PER_MS;
}

// Words .NET's or an RFC 822 parser could read as part of a date: month and day names (any case, abbreviated),
// AM/PM, T, zone names and single-letter military zones. Text with a digit and only such words is date-shaped.
const DATE_WORD =
  /^(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day)?|tuesday|wednesday|thursday|saturday|am|pm|gmt|utc|ut|[ecmp][sd]t|[a-z])$/i;

function dateShaped(text: string): boolean {
  if (!/\d/.test(text)) return false;
  const words = text.match(/[A-Za-z]+/g) ?? [];
  return words.every((w) => DATE_WORD.test(w));
}

/**
 * Parses timespan text: `[-][d.]hh:mm[:ss[.fffffff]]` (totimespan-function.md, `time(0.12:34:56.7)`) and the
 * literal forms of scalar-data-types/timespan.md (`2d`, `1.5h`, `30m`, `10s`, `0.1s`, `100ms`, `10microsecond`,
 * `1tick`, `15 seconds`) with Kusto.Language's unit names. Out-of-range parts, more than 7 fraction digits and
 * amounts that fall between ticks are refused (.NET overflows or rounds; Kusto's result is not documented).
 */
export function classifyTimespanText(text: string): TextParse {
  if (text === "") return { value: null };
  let m = /^(-)?(?:(\d+)\.)?(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?$/.exec(text);
  if (m) {
    const [, neg, d = "0", h, mi, se = "0", frac = ""] = m;
    if (Number(h) > 23 || Number(mi) > 59 || Number(se) > 59) return { refused: "an hour, minute or second beyond its range" };
    if (frac.length > 7) return { refused: "more than 7 fraction digits" };
    const t = BigInt(d) * TICKS_PER_DAY + BigInt(h!) * TICKS_PER_HOUR + BigInt(mi!) * TICKS_PER_MINUTE +
      BigInt(se) * TICKS_PER_SECOND + BigInt((frac + "0000000").slice(0, 7));
    if (t > MAX_TIMESPAN) return { refused: "an amount beyond .NET's TimeSpan range" };
    return { value: neg ? -t : t };
  }
  m = /^(-)?(\d+)(?:\.(\d+))? ?([a-z]+)$/.exec(text);
  const per = m ? UNIT_TICKS[m[4]!] : undefined;
  if (m && per !== undefined) {
    const [, neg, int, frac = ""] = m;
    const scale = 10n ** BigInt(frac.length);
    const scaled = (BigInt(int!) * scale + BigInt(frac || "0")) * per;
    if (scaled % scale !== 0n) return { refused: "an amount that is not a whole number of ticks (100 ns)" };
    const t = scaled / scale;
    if (t > MAX_TIMESPAN) return { refused: "an amount beyond .NET's TimeSpan range" };
    return { value: neg ? -t : t };
  }
  return /\d/.test(text) && /^[-+\d.:\sA-Za-z]+$/.test(text) ? { refused: "not one of the documented timespan forms" } : { value: null };
}

// Unit names of Kusto's timespan literals (Kusto.Language's lexer): day/hour/minute/second/millisecond/
// microsecond/tick with their short and plural spellings.
const UNIT_TICKS: Record<string, bigint> = (() => {
  const u: Record<string, bigint> = {};
  const add = (names: string[], t: bigint) => { for (const n of names) u[n] = t; };
  add(["d", "day", "days"], TICKS_PER_DAY);
  add(["h", "hr", "hrs", "hour", "hours"], TICKS_PER_HOUR);
  add(["m", "min", "minute", "minutes"], TICKS_PER_MINUTE);
  add(["s", "sec", "second", "seconds"], TICKS_PER_SECOND);
  add(["ms", "milli", "millis", "millisecond", "milliseconds"], TICKS_PER_MS);
  add(["microsecond", "microseconds"], 10n);
  add(["tick", "ticks"], 1n);
  return u;
})();

function resolve(p: TextParse, what: string, text: string): bigint | null {
  if ("value" in p) return p.value;
  const shown = text.length > 60 ? `${text.slice(0, 60)}…` : text;
  throw new KqlError("unsupported", `unsupported: ${what} of '${shown}': ${p.refused}; Kusto's result for this text form is not documented`);
}

/** todatetime() / datetime literal text: the value, null, or KqlError("unsupported") naming `what`. */
export function parseDatetimeStrict(text: string, what = "todatetime()"): bigint | null {
  return resolve(classifyDatetimeText(text), what, text);
}

/** totimespan() text: the value, null, or KqlError("unsupported") naming `what`. */
export function parseTimespanStrict(text: string, what = "totimespan()"): bigint | null {
  return resolve(classifyTimespanText(text), what, text);
}
