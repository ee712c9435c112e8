// Time-zone builtins: datetime_local_to_utc (datetime_utc_to_local lives with the other datetime functions).
// Zone rules come from Node's ICU data (Node 20.20: ICU 78.2, tz database 2025c).
//
// datetime_list_timezones is deliberately not implemented: its page shows no output, so the order and exact
// content of Kusto's list are undocumented; timezone.md's table is hand-edited (non-IANA entries such as
// "Asia/Yangon (Rangoon)", duplicates) and has IANA aliases (US/Pacific…) that ICU does not list
// (Intl.supportedValuesOf gives canonical names only), so any list the engine returned could differ from Kusto's.
//
// Local → UTC is not one-to-one near DST transitions:
//  - a local time inside a spring-forward gap does not exist; datetime-local-to-utc-function.md shows Kusto
//    mapping it with the offset in force after the gap (Brussels 2022-03-27 02:00 → 00:00 UTC);
//  - a local time inside a fall-back overlap exists twice; the docs do not say which instant Kusto picks, so
//    the engine refuses it as unsupported rather than guess.
import { KqlError } from "../api.js";
import { TICKS_PER_MS } from "../values.js";
import { defineScalar } from "./registry.js";
import { inRange, runtimeError } from "./c2-util.js";

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();

function offsetFormatter(tz: string): Intl.DateTimeFormat {
  let f = offsetFormatters.get(tz);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat("en-US", { timeZone: tz, timeZoneName: "longOffset", year: "numeric" });
    } catch {
      throw runtimeError(`unknown time zone '${tz}'`);
    }
    offsetFormatters.set(tz, f);
  }
  return f;
}

/** UTC offset of zone `tz` at the UTC instant `ms`, in milliseconds (ICU prints it as GMT±hh:mm[:ss]). */
function offsetMs(tz: string, ms: number): number {
  const name = offsetFormatter(tz).formatToParts(new Date(ms)).find((p) => p.type === "timeZoneName")?.value ?? "";
  if (name === "GMT") return 0;
  const m = /^GMT([+-])(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(name);
  if (!m) throw new KqlError("unsupported", `unsupported: time zone offset '${name}' of '${tz}'`);
  const v = ((Number(m[2]) * 60 + Number(m[3])) * 60 + Number(m[4] ?? 0)) * 1000;
  return m[1] === "-" ? -v : v;
}

const DAY_MS = 86_400_000;

/**
 * The UTC instant whose wall clock in `tz` is `local`. Candidates are the offsets in force a day before and a
 * day after (zones change offset at most once within two days); a candidate is valid when the instant it gives
 * really has that offset.
 */
export function localToUtc(local: bigint, tz: string): bigint | null {
  const ms = Number(local / TICKS_PER_MS - (local % TICKS_PER_MS < 0n ? 1n : 0n)); // floor, also before 1970
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15 - DAY_MS) return null;
  const before = offsetMs(tz, ms - DAY_MS), after = offsetMs(tz, ms + DAY_MS);
  const valid = [...new Set([before, after])].filter((o) => offsetMs(tz, ms - o) === o);
  let offset: number;
  if (valid.length === 1) offset = valid[0]!;
  else if (valid.length === 0) offset = after; // in a gap: the offset after the transition (doc example)
  else throw new KqlError("unsupported", `unsupported: datetime_local_to_utc of a local time that occurs twice in '${tz}' (DST overlap)`);
  return inRange(local - BigInt(offset) * TICKS_PER_MS);
}

defineScalar({
  name: "datetime_local_to_utc",
  nulls: "propagate",
  overloads: [{ params: ["datetime", "string"], returns: "datetime", impl: (a) => localToUtc(a[0] as bigint, a[1] as string) }],
});
