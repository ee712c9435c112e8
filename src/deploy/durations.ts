// Durations as Azure-Sentinel YAML writes them (5m, 1h, 14d, 01:00:00) and as ARM wants them (ISO 8601:
// PT5M, PT1H, P14D). Compared by value: the service may re-format what it was sent.

const YAML_UNIT = /^(\d+)\s*([smhd])$/i;
const ISO = /^P(?!$)(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i;
const TIMESPAN = /^(?:(\d+)\.)?(\d{1,2}):(\d{2})(?::(\d{2}))?$/;

/** Seconds of a YAML, ISO 8601 or .NET TimeSpan duration; undefined when it is none of these. */
export function durationSeconds(text: unknown): number | undefined {
  if (typeof text !== "string") return undefined;
  const s = text.trim();
  let m = YAML_UNIT.exec(s);
  if (m) return Number(m[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[m[2]!.toLowerCase() as "s" | "m" | "h" | "d"];
  m = ISO.exec(s);
  if (m) return Number(m[1] ?? 0) * 86400 + Number(m[2] ?? 0) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0);
  m = TIMESPAN.exec(s);
  if (m) return Number(m[1] ?? 0) * 86400 + Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4] ?? 0);
  return undefined;
}

/** Canonical ISO 8601 for a number of seconds: whole days as P{n}D, otherwise PT{h}H{m}M{s}S. */
export function isoFromSeconds(total: number): string {
  if (total > 0 && total % 86400 === 0) return `P${total / 86400}D`;
  const d = Math.floor(total / 86400);
  let rest = total - d * 86400;
  const h = Math.floor(rest / 3600);
  rest -= h * 3600;
  const m = Math.floor(rest / 60);
  const s = rest - m * 60;
  const time = `${h ? `${h}H` : ""}${m ? `${m}M` : ""}${s ? `${s}S` : ""}`;
  return `P${d ? `${d}D` : ""}${time ? `T${time}` : d ? "" : "T0S"}`;
}

/** ARM form of a duration; undefined when the input is not a duration. */
export function toIsoDuration(text: unknown): string | undefined {
  const s = durationSeconds(text);
  return s === undefined ? undefined : isoFromSeconds(s);
}
