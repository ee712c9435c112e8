// Checks a case's expectation against the query result / simulated alerts and explains failures as a readable
// expected-vs-actual diff (closest row or alert, field by field, then the actual result).
import type { QueryResult } from "../kql/api.js";
import { dynToPlain, formatDatetime, formatTimespan, parseDatetime, parseTimespan, type Dyn, type KqlType, type Value } from "../kql/values.js";
import type { Alert, AlertExpectation, Expectation, Range, Simulation } from "./model.js";
import { resolveRelativeTime } from "./tables.js";

/** Up to this many actual rows/alerts are listed under a failure. */
const SHOW_MAX = 20;

export interface CheckContext {
  now: bigint;
}

/** Returns the failure text, or undefined when every expectation holds. */
export function checkExpectation(e: Expectation, result: QueryResult, sim: Simulation | undefined, ctx: CheckContext): string | undefined {
  const problems: string[] = [];
  let showRows = false;
  let showAlerts = false;
  const rows = result.rows;
  const colIndex = new Map(result.columns.map((c, i) => [c.name, i]));

  if (e.rows && !inRange(rows.length, e.rows)) {
    problems.push(`✗ rows: expected ${rangeText(e.rows, "row")}, got ${rows.length}`);
    showRows = true;
  }
  if (e.columns) {
    const actual = result.columns.map((c) => c.name);
    if (actual.length !== e.columns.length || actual.some((c, i) => c !== e.columns![i])) {
      problems.push(`✗ columns:\n    - expected: ${e.columns.join(", ")}\n    + actual:   ${actual.join(", ")}`);
    }
  }
  (e.present ?? []).forEach((want, i) => {
    const missingCols = Object.keys(want).filter((k) => !colIndex.has(k));
    if (missingCols.length) {
      problems.push(`✗ present[${i}]: the result has no column ${missingCols.map((c) => `'${c}'`).join(", ")} (columns: ${result.columns.map((c) => c.name).join(", ")})`);
      return;
    }
    if (rows.some((r) => rowMatches(want, r, result, ctx))) return;
    showRows = true;
    const lines = [`✗ present[${i}]: no result row matches`, `    expected  ${renderObject(want)}`];
    const best = closestRow(want, result, ctx);
    if (best) {
      lines.push(`    closest   row ${best.index + 1}:`);
      for (const [k, v] of Object.entries(want)) {
        const ci = colIndex.get(k)!;
        const a = rows[best.index]![ci]!;
        if (valueMatches(v, a, result.columns[ci]!.type, ctx)) lines.push(`                ${k}: ${renderValue(v)}`);
        else lines.push(`              - ${k}: ${renderValue(v)}`, `              + ${k}: ${renderActual(a, result.columns[ci]!.type)}`);
      }
    } else {
      lines.push("    (the result is empty)");
    }
    problems.push(lines.join("\n"));
  });
  (e.absent ?? []).forEach((unwanted, i) => {
    if (Object.keys(unwanted).some((k) => !colIndex.has(k))) return; // a row with a column the result lacks cannot be present
    const hit = rows.findIndex((r) => rowMatches(unwanted, r, result, ctx));
    if (hit >= 0) {
      showRows = true;
      problems.push(`✗ absent[${i}]: row ${hit + 1} matches ${renderObject(unwanted)}\n    + ${renderRow(result, hit)}`);
    }
  });

  if (e.triggered !== undefined || e.alerts || e.alertsPresent) {
    if (!sim) {
      problems.push("✗ triggered/alerts/alertsPresent apply to analytics rules only (this content item is a hunting query)");
    } else {
      if (e.triggered !== undefined && sim.triggered !== e.triggered) {
        problems.push(`✗ triggered: expected ${e.triggered}, got ${sim.triggered} (${sim.rows} result row${sim.rows === 1 ? "" : "s"} in ${sim.window.start} … ${sim.window.end})`);
        showAlerts = true;
      }
      if (e.alerts && !inRange(sim.alerts.length, e.alerts)) {
        problems.push(`✗ alerts: expected ${rangeText(e.alerts, "alert")}, got ${sim.alerts.length}`);
        showAlerts = true;
      }
      const used = new Set<number>();
      (e.alertsPresent ?? []).forEach((want, i) => {
        const idx = sim.alerts.findIndex((a, j) => !used.has(j) && alertMismatches(want, a).length === 0);
        if (idx >= 0) { used.add(idx); return; }
        showAlerts = true;
        const lines = [`✗ alertsPresent[${i}]: no alert matches`];
        let best = -1, bestN = Infinity;
        sim.alerts.forEach((a, j) => {
          const n = alertMismatches(want, a).length;
          if (!used.has(j) && n < bestN) { best = j; bestN = n; }
        });
        if (best >= 0) {
          lines.push(`    closest   alert ${best + 1}:`);
          for (const m of alertMismatches(want, sim.alerts[best]!)) lines.push(...m.split("\n").map((l) => `      ${l}`));
        } else {
          lines.push("    (no alerts were raised)");
        }
        problems.push(lines.join("\n"));
      });
    }
  }

  if (problems.length === 0) return undefined;
  const out = [...problems];
  if (showRows || (showAlerts && sim && sim.rows > 0)) {
    out.push("", `Actual rows (${rows.length}):`);
    if (rows.length === 0) out.push("  (none)");
    for (let i = 0; i < Math.min(rows.length, SHOW_MAX); i++) out.push(`  ${String(i + 1).padStart(3)}  ${renderRow(result, i)}`);
    if (rows.length > SHOW_MAX) out.push(`  … ${rows.length - SHOW_MAX} more`);
  }
  if (showAlerts && sim) {
    out.push("", `Actual alerts (${sim.alerts.length}):`);
    if (sim.alerts.length === 0) out.push("  (none)");
    sim.alerts.slice(0, SHOW_MAX).forEach((a, i) => out.push(...renderAlert(a, i)));
    if (sim.alerts.length > SHOW_MAX) out.push(`  … ${sim.alerts.length - SHOW_MAX} more`);
  }
  return out.join("\n");
}

export function inRange(n: number, r: Range): boolean {
  return (r.min === undefined || n >= r.min) && (r.max === undefined || n <= r.max);
}

function rangeText(r: Range, noun: string): string {
  const pl = (n: number) => `${n} ${noun}${n === 1 ? "" : "s"}`;
  if (r.min !== undefined && r.min === r.max) return pl(r.min);
  if (r.min !== undefined && r.max !== undefined) return `${r.min}–${r.max} ${noun}s`;
  if (r.min !== undefined) return `at least ${pl(r.min)}`;
  return `at most ${pl(r.max!)}`;
}

function rowMatches(want: Record<string, unknown>, row: Value[], result: QueryResult, ctx: CheckContext): boolean {
  for (const [k, v] of Object.entries(want)) {
    const i = result.columns.findIndex((c) => c.name === k);
    if (i < 0 || !valueMatches(v, row[i]!, result.columns[i]!.type, ctx)) return false;
  }
  return true;
}

function closestRow(want: Record<string, unknown>, result: QueryResult, ctx: CheckContext): { index: number } | undefined {
  let best: number | undefined, bestScore = -1;
  result.rows.forEach((row, idx) => {
    let score = 0;
    for (const [k, v] of Object.entries(want)) {
      const i = result.columns.findIndex((c) => c.name === k);
      if (i >= 0 && valueMatches(v, row[i]!, result.columns[i]!.type, ctx)) score++;
    }
    if (score > bestScore) { best = idx; bestScore = score; }
  });
  return best === undefined ? undefined : { index: best };
}

/** Expected YAML value vs an engine value of a column type (datetimes as instants, numbers numerically). */
export function valueMatches(expected: unknown, actual: Value, type: KqlType, ctx: CheckContext): boolean {
  if (expected === null || expected === undefined) return actual === null || actual === "";
  switch (type) {
    case "datetime": {
      if (actual === null) return false;
      const t = parseDatetime(String(resolveRelativeTime(expected, ctx.now)));
      return t !== null && t === actual;
    }
    case "timespan": {
      if (actual === null) return false;
      const t = typeof expected === "number" ? BigInt(expected) : parseTimespan(String(expected));
      return t !== null && t === actual;
    }
    case "int": case "long": case "real": case "decimal":
      return actual !== null && Number(expected) === actual;
    case "bool":
      return actual === (typeof expected === "string" ? expected.toLowerCase() === "true" : expected);
    case "guid":
      return typeof actual === "string" && String(expected).toLowerCase() === actual;
    case "string":
      return typeof expected === "object" ? false : String(expected) === actual;
    case "dynamic":
      return deepEqual(expected, dynToPlain(actual as Dyn)); // typed datetime/timespan/guid members as their text
  }
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a as object), kb = Object.keys(b as object);
  return ka.length === kb.length && ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** Differences between an expected alert and an actual one, one readable block each. */
export function alertMismatches(want: AlertExpectation, a: Alert): string[] {
  const out: string[] = [];
  const field = (name: string, w: unknown, got: unknown) => out.push(`- ${name}: ${renderValue(w)}\n+ ${name}: ${renderValue(got)}`);
  if (want.displayName !== undefined && want.displayName !== a.displayName) field("displayName", want.displayName, a.displayName);
  if (want.description !== undefined && want.description !== a.description) field("description", want.description, a.description);
  if (want.severity !== undefined && want.severity !== a.severity) field("severity", want.severity, a.severity);
  if (want.tactics !== undefined && !sameSet(want.tactics, a.tactics)) field("tactics", want.tactics, a.tactics);
  for (const we of want.entities ?? []) {
    const found = a.entities.some((e) => e.type === we.type && Object.entries(we.identifiers).every(([k, v]) => e.identifiers[k] === text(v)));
    if (!found) {
      const same = a.entities.filter((e) => e.type === we.type);
      out.push(`- entity ${renderEntity(we.type, we.identifiers)}\n+ ${same.length ? same.map((e) => renderEntity(e.type, e.identifiers)).join(", ") : `(no ${we.type} entity)`}`);
    }
  }
  for (const [k, v] of Object.entries(want.customDetails ?? {})) {
    const wantList = Array.isArray(v) ? v.map(text) : [text(v)];
    const got = a.customDetails[k] ?? [];
    if (wantList.length !== got.length || wantList.some((x, i) => x !== got[i])) field(`customDetails.${k}`, Array.isArray(v) ? wantList : wantList[0], got.length === 1 ? got[0] : got);
  }
  return out;
}

function sameSet(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

function text(v: unknown): string {
  return typeof v === "string" ? v : typeof v === "object" ? JSON.stringify(v) : String(v);
}

// ---------- rendering ----------

export function renderValue(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v);
  if (v === undefined) return "(none)";
  return JSON.stringify(v);
}

function renderObject(o: Record<string, unknown>): string {
  return `{ ${Object.entries(o).map(([k, v]) => `${k}: ${renderValue(v)}`).join(", ")} }`;
}

export function plainValue(v: Value, type: KqlType): unknown {
  if (v === null) return null;
  if (type === "datetime") return formatDatetime(v as bigint);
  if (type === "timespan") return formatTimespan(v as bigint);
  if (type === "dynamic") return dynToPlain(v as Dyn);
  return v;
}

function renderActual(v: Value, type: KqlType): string {
  return renderValue(plainValue(v, type));
}

export function renderRow(result: QueryResult, i: number): string {
  const row = result.rows[i]!;
  return `{ ${result.columns.map((c, ci) => `${c.name}: ${renderActual(row[ci]!, c.type)}`).join(", ")} }`;
}

function renderEntity(type: string, ids: Record<string, unknown>): string {
  return `${type} { ${Object.entries(ids).map(([k, v]) => `${k}: ${renderValue(text(v))}`).join(", ")} }`;
}

function renderAlert(a: Alert, i: number): string[] {
  const lines = [`  ${String(i + 1).padStart(3)}  ${renderValue(a.displayName)}  severity ${a.severity}  tactics ${a.tactics.join(", ") || "(none)"}`];
  lines.push(`       description: ${renderValue(a.description)}`);
  lines.push(`       entities: ${a.entities.length ? a.entities.map((e) => renderEntity(e.type, e.identifiers)).join(", ") : "(none)"}`);
  if (Object.keys(a.customDetails).length) lines.push(`       customDetails: ${JSON.stringify(a.customDetails)}`);
  return lines;
}

/** The observed result as an expectation (what `scac test --update` writes into a new case). */
export function observedExpectation(result: QueryResult, sim: Simulation | undefined): Record<string, unknown> {
  const e: Record<string, unknown> = {};
  if (sim) {
    e.triggered = sim.triggered;
    e.alerts = sim.alerts.length;
    if (sim.alerts.length) {
      e.alertsPresent = sim.alerts.slice(0, SHOW_MAX).map((a) => ({
        displayName: a.displayName,
        severity: a.severity,
        tactics: a.tactics,
        entities: a.entities,
        ...(Object.keys(a.customDetails).length ? { customDetails: Object.fromEntries(Object.entries(a.customDetails).map(([k, v]) => [k, v.length === 1 ? v[0] : v])) } : {}),
      }));
    }
    return e;
  }
  e.rows = result.rows.length;
  if (result.rows.length) {
    e.present = result.rows.slice(0, SHOW_MAX).map((r) => Object.fromEntries(result.columns.map((c, i) => [c.name, plainValue(r[i]!, c.type)])));
  }
  return e;
}
