// Watchlist items supplied by a test file (`watchlists:`) or `scac simulate --watchlist`: what _GetWatchlist
// returns (Sentinel's columns: _DTItemId, LastUpdatedTimeUTC, SearchKey, WatchlistItem, then the item columns),
// file- and case-level items, CSV fixtures, and the errors for unsupplied watchlists and bad items.
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { run as simulate } from "../../src/commands/simulate.js";
import { runSession } from "../../src/testing/session.js";
import { tempProject } from "./helpers.js";

const HUNT = (query: string) => `id: 6f0e2d1c-2222-4a4a-8b8b-0c0c0c0c0c0c
name: VIP Hunt
description: |
  test content
requiredDataConnectors: []
tactics: [CredentialAccess]
relevantTechniques: [T1110]
query: |
${query.split("\n").map((l) => `  ${l}`).join("\n")}
`;

const VIP_QUERY = `let vip = _GetWatchlist('VIPUsers') | project SearchKey, VipLevel = tostring(WatchlistItem.Level);
SecurityEvent
| where EventID == 4625
| join kind=inner vip on $left.Account == $right.SearchKey
| project Computer, Account, VipLevel`;

const EVENTS = `tables:
  SecurityEvent:
    - { TimeGenerated: now-1h, Computer: web01, Account: 'CONTOSO\\alice', EventID: 4625 }
    - { TimeGenerated: now-1h, Computer: web02, Account: 'CONTOSO\\bob', EventID: 4625 }
`;

async function session(files: Record<string, string>, schemaDirs: string[] = []) {
  const dir = tempProject(files);
  const s = await runSession({ paths: [join(dir, "content")], schemaDirs: schemaDirs.map((d) => join(dir, d)), coverage: { level: "off" } });
  return { s, dir, byName: Object.fromEntries(s.results.map((r) => [r.caseName, r])) };
}

describe("watchlists in content tests", () => {
  it("supplies the rows _GetWatchlist returns, from the file level, per case and from a CSV file", async () => {
    const { byName } = await session({
      "content/vip.yaml": HUNT(VIP_QUERY),
      "content/vip.csv": "UPN,Level\nCONTOSO\\bob,2\n",
      "content/vip.test.yaml": `now: 2026-11-20T12:00:00Z
${EVENTS}watchlists:
  VIPUsers:
    searchKey: UPN
    rows:
      - { UPN: 'CONTOSO\\alice', Level: '1' }
cases:
  - name: the VIP's failed logon is found with its level
    expect: { rows: 1, present: [{ Computer: web01, Account: 'CONTOSO\\alice', VipLevel: '1' }] }
  - name: an empty watchlist finds nothing
    watchlists: { VIPUsers: [] }
    expect: { rows: 0 }
  - name: the watchlist's CSV as uploaded (search key = first column by default)
    watchlists: { VIPUsers: { file: vip.csv } }
    expect: { rows: 1, present: [{ Account: 'CONTOSO\\bob', VipLevel: '2' }] }
`,
    });
    expect(Object.values(byName).map((r) => [r.caseName, r.status, r.message])).toEqual([
      ["the VIP's failed logon is found with its level", "pass", undefined],
      ["an empty watchlist finds nothing", "pass", undefined],
      ["the watchlist's CSV as uploaded (search key = first column by default)", "pass", undefined],
    ]);
  });

  it("returns Sentinel's columns: _DTItemId, LastUpdatedTimeUTC (default: now), SearchKey, WatchlistItem, then the items", async () => {
    const { byName } = await session({
      "content/all.yaml": HUNT("_GetWatchlist('Servers')"),
      "content/all.test.yaml": `now: 2026-11-20T12:00:00Z
watchlists:
  Servers:
    searchKey: Host
    rows:
      - { Host: srv1, Owner: ops, LastUpdatedTimeUTC: now-1d }
      - { Host: srv2, Owner: dev }
cases:
  - name: columns and values
    expect:
      rows: 2
      columns: [_DTItemId, LastUpdatedTimeUTC, SearchKey, WatchlistItem, Host, Owner]
      present:
        - { SearchKey: srv1, Host: srv1, Owner: ops, WatchlistItem: { Host: srv1, Owner: ops }, LastUpdatedTimeUTC: 2026-11-19T12:00:00Z }
        - { SearchKey: srv2, LastUpdatedTimeUTC: 2026-11-20T12:00:00Z }
`,
    });
    expect(byName["columns and values"]!.message).toBeUndefined();
    expect(byName["columns and values"]!.status).toBe("pass");
  });

  it("types items by the watchlist's declared schema and reports a bad item by watchlist, row and column", async () => {
    const { byName } = await session({
      "schemas/wl.yaml": "watchlists:\n  - alias: VIPUsers\n    columns: { UPN: string, Level: long }\n",
      "content/vip.yaml": HUNT("_GetWatchlist('VIPUsers') | where Level > 1 | project UPN"),
      "content/vip.test.yaml": `now: 2026-11-20T12:00:00Z
cases:
  - name: typed
    watchlists: { VIPUsers: { rows: [{ UPN: a, Level: 1 }, { UPN: b, Level: 5 }] } }
    expect: { rows: 1, present: [{ UPN: b }] }
  - name: bad value
    watchlists: { VIPUsers: { rows: [{ UPN: a, Level: high }] } }
    expect: { rows: 0 }
  - name: typo
    watchlists: { VIPUsers: { rows: [{ upn: a }] } }
    expect: { rows: 0 }
  - name: bad search key
    watchlists: { VIPUsers: { searchKey: Mail, rows: [] } }
    expect: { rows: 0 }
`,
    }, ["schemas"]);
    expect(byName.typed!.status).toBe("pass");
    expect(byName["bad value"]!.status).toBe("error");
    expect(byName["bad value"]!.message).toMatch(/vip\.test\.yaml:7:\d+: case 'bad value': watchlist 'VIPUsers' row 1, column 'Level': cannot convert 'high' to long \[test-data\]$/);
    expect(byName.typo!.message).toMatch(/case 'typo': watchlist 'VIPUsers' row 1: unknown column 'upn' \(did you mean 'UPN'\?\)/);
    expect(byName["bad search key"]!.message).toMatch(/watchlist 'VIPUsers': searchKey 'Mail' is not one of its columns \(UPN, Level\)/);
  });

  it("a query reading a watchlist the test does not supply is an error naming it; the keys argument is refused", async () => {
    const { byName } = await session({
      "content/vip.yaml": HUNT(VIP_QUERY),
      "content/vip.test.yaml": `now: 2026-11-20T12:00:00Z
${EVENTS}cases:
  - name: none supplied
    expect: { rows: 0 }
  - name: wrong case
    watchlists: { vipusers: [] }
    expect: { rows: 0 }
`,
      "content/keys.yaml": HUNT("_GetWatchlist('VIPUsers', dynamic(['a']))"),
      "content/keys.test.yaml": `now: 2026-11-20T12:00:00Z
watchlists: { VIPUsers: [{ UPN: a }] }
cases:
  - name: keys
    expect: { rows: 1 }
`,
    });
    expect(byName["none supplied"]!.status).toBe("error");
    expect(byName["none supplied"]!.message).toBe("the query reads watchlist 'VIPUsers' (_GetWatchlist at query line 1, column 11) but the test does not supply it: add watchlists: { VIPUsers: { searchKey: …, rows: […] } } (rows: [] for an empty watchlist)");
    expect(byName["wrong case"]!.message).toContain("aliases are case-sensitive — 'vipusers' is supplied");
    expect(byName.keys!.status).toBe("error");
    expect(byName.keys!.message).toBe("unsupported: _GetWatchlist with a keys argument (query line 1, column 1): its SearchKey filter is not modelled");
  });
});

describe("scac simulate --watchlist", () => {
  afterEach(() => vi.restoreAllMocks());

  it("feeds a watchlist file to the rule, the search key chosen with --watchlist-key", async () => {
    const dir = tempProject({
      "rule.yaml": `id: 6f0e2d1c-3333-4a4a-8b8b-0c0c0c0c0c0c
name: VIP failed logon
description: test
severity: High
requiredDataConnectors: []
queryFrequency: 1h
queryPeriod: 1h
triggerOperator: gt
triggerThreshold: 0
tactics: [CredentialAccess]
relevantTechniques: [T1110]
kind: Scheduled
query: |
  let vip = _GetWatchlist('VIPUsers') | project SearchKey;
  SecurityEvent | where EventID == 4625 | where Account in (vip) | project Computer, Account
entityMappings:
  - entityType: Account
    fieldMappings: [{ identifier: FullName, columnName: Account }]
`,
      "vip.csv": "Level,UPN\n1,CONTOSO\\alice\n",
      "events.jsonl": '{"TimeGenerated":"2026-11-20T11:30:00Z","Computer":"web01","Account":"CONTOSO\\\\alice","EventID":4625}\n{"TimeGenerated":"2026-11-20T11:30:00Z","Computer":"web02","Account":"CONTOSO\\\\bob","EventID":4625}\n',
    });
    let out = "";
    vi.spyOn(process.stdout, "write").mockImplementation((s) => { out += String(s); return true; });
    const code = await simulate([join(dir, "rule.yaml"), "--table", `SecurityEvent=${join(dir, "events.jsonl")}`, "--watchlist", `VIPUsers=${join(dir, "vip.csv")}`,
      "--watchlist-key", "VIPUsers=UPN", "--now", "2026-11-20T12:00:00Z", "--format", "json"]);
    expect(code).toBe(0);
    const j = JSON.parse(out);
    expect(j.rows).toBe(1);
    expect(j.alerts[0].entities).toEqual([{ type: "Account", identifiers: { FullName: "CONTOSO\\alice" } }]);
  });
});
