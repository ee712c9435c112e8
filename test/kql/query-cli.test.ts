// `scac query` end to end through the real CLI process (Kusto.Language and all).
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { readFileSync } from "node:fs";

const root = fileURLToPath(new URL("../../", import.meta.url));
const fx = (f: string) => fileURLToPath(new URL(`../fixtures/kql/${f}`, import.meta.url));
const scac = (args: string[], input?: string) =>
  spawnSync(process.execPath, ["--import", "tsx", "src/cli.ts", "query", ...args], { cwd: root, encoding: "utf8", input });

describe("scac query", () => {
  it("runs the seed hunting query from stdin over a JSON table with a pinned now, as JSON", () => {
    const yaml = readFileSync(`${root}/content/hunting/webserver-executing-suspicious-applications.yaml`, "utf8");
    const query = yaml.split("query: |\n")[1]!.split(/\n\S/)[0]!.replace(/^ {2}/gm, "");
    const r = scac(["--table", `DeviceProcessEvents=${fx("DeviceProcessEvents.json")}`, "--now", "2024-01-10T00:00:00Z", "--format", "json"], query);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    // Two of the three events are within 7 days and both match (w3wp.exe case-insensitively via in~); the third is too old.
    expect(JSON.parse(r.stdout)).toEqual({
      columns: [
        { name: "ProcessCommandLine", type: "string" }, { name: "FolderPath", type: "string" },
        { name: "DeviceName", type: "string" }, { name: "DeviceId", type: "string" }, { name: "instances", type: "long" },
      ],
      rows: [["cmd /c whoami", "C:\\Windows\\System32", "web01", "d1", 2]],
    });
  }, 60_000);

  it("batch mode answers every case on its own line; exit codes for single queries", () => {
    const r = scac(["--batch", fx("batch.jsonl"), "--table", `DeviceProcessEvents=${fx("DeviceProcessEvents.json")}`]);
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split("\n").map((l) => JSON.parse(l));
    expect(lines[0]).toEqual({ id: "ok", columns: [{ name: "x", type: "long" }, { name: "t", type: "datetime" }], rows: [[1, "2024-01-01T00:00:00Z"]] });
    expect(lines[1].error.kind).toBe("syntax");
    expect(lines[2].error).toEqual({ kind: "unsupported", message: "unsupported: evaluate autocluster at 1:15" });
    expect(lines[3]).toEqual({ id: "table", columns: [{ name: "Count", type: "long" }], rows: [[3]] });
    expect(scac(["-e", "print x = "]).status).toBe(2);
    const u = scac(["-e", "print x = 1 | evaluate autocluster()", "--format", "csv"]);
    expect(u.status).toBe(3);
    expect(u.stderr).toMatch(/<-e>:1:15: unsupported error: unsupported: evaluate autocluster at 1:15/);
    const csv = scac(["-e", "print a = 1, b = 'x,y', c = datetime(2024-01-01)", "--format", "csv"]);
    expect(csv.stdout).toBe('a,b,c\n1,"x,y",2024-01-01T00:00:00Z\n');
  }, 60_000);
});
