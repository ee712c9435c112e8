// IPv4/IPv6 builtins; expected values are the documented examples of each function's page
// (learn.microsoft.com/kusto/query/<name>-function).
import { describe, expect, it } from "vitest";
import { call } from "./c2-helpers.js";

const S = "string" as const, L = "long" as const, Y = "dynamic" as const;

describe("IPv4 parsing and formatting", () => {
  it("parse_ipv4 (parse-ipv4-function.md)", () => {
    expect(call("parse_ipv4", [S], ["192.168.1.1"])).toBe(3232235777);
    expect(call("parse_ipv4", [S], ["192.168.1.1/24"])).toBe(3232235776);
    expect(call("parse_ipv4", [S], ["255.255.255.255/31"])).toBe(4294967294);
    expect(call("parse_ipv4", [S], ["127.0.0.256"])).toBe(null);
    expect(call("parse_ipv4", [S], ["not an ip"])).toBe(null);
  });
  it("parse_ipv4_mask / ipv4_netmask_suffix", () => {
    expect(call("parse_ipv4_mask", [S, L], ["127.0.0.1", 24])).toBe(2130706432);
    expect(call("parse_ipv4_mask", [S, L], ["192.1.168.2", 31])).toBe(3221334018);
    expect(call("parse_ipv4_mask", [S, L], ["192.1.168.3/30", 31])).toBe(3221334016);
    expect(call("ipv4_netmask_suffix", [S], ["192.168.1.1/24"])).toBe(24);
    expect(call("ipv4_netmask_suffix", [S], ["192.168.1.1"])).toBe(32);
    expect(call("ipv4_netmask_suffix", [S], ["192.168.1.1/33"])).toBe(null);
  });
  it("format_ipv4 / format_ipv4_mask (format-ipv4-function.md)", () => {
    const rows: [string, number, string, string][] = [
      ["192.168.1.1", 24, "192.168.1.0", "192.168.1.0/24"],
      ["192.168.1.1", 32, "192.168.1.1", "192.168.1.1/32"],
      ["192.168.1.1/24", 32, "192.168.1.0", "192.168.1.0/24"],
      ["192.168.1.1/24", -1, "", ""],
    ];
    for (const [ip, mask, plain, withMask] of rows) {
      expect(call("format_ipv4", [S, L], [ip, mask])).toBe(plain);
      expect(call("format_ipv4_mask", [S, L], [ip, mask])).toBe(withMask);
    }
    expect(call("format_ipv4", [L], [3232236031])).toBe("192.168.1.255");
    expect(call("format_ipv4", [L, L], [3232236031, 24])).toBe("192.168.1.0");
  });
});

describe("IPv4 comparison and ranges", () => {
  it("ipv4_compare (ipv4-compare-function.md)", () => {
    expect(call("ipv4_compare", [S, S], ["192.168.1.0", "192.168.1.0"])).toBe(0);
    expect(call("ipv4_compare", [S, S], ["192.168.1.1/24", "192.168.1.255"])).toBe(0);
    expect(call("ipv4_compare", [S, S], ["192.168.1.1", "192.168.1.255/24"])).toBe(0);
    expect(call("ipv4_compare", [S, S], ["192.168.1.1/30", "192.168.1.255/24"])).toBe(0);
    expect(call("ipv4_compare", [S, S, L], ["192.168.1.1", "192.168.1.0", 31])).toBe(0);
    expect(call("ipv4_compare", [S, S, L], ["192.168.1.1/24", "192.168.1.255", 31])).toBe(0);
    expect(call("ipv4_compare", [S, S, L], ["192.168.1.1", "192.168.1.255", 24])).toBe(0);
    expect(call("ipv4_compare", [S, S], ["192.168.1.1", "192.168.1.2"])).toBe(-1);
    expect(call("ipv4_compare", [S, S], ["192.168.1.10", "192.168.1.2"])).toBe(1);
    expect(call("ipv4_compare", [S, S], ["192.168.1.1", "x"])).toBe(null);
  });
  it("ipv4_is_match / ipv4_is_in_range / ipv4_is_in_any_range", () => {
    expect(call("ipv4_is_match", [S, S], ["192.168.1.1/24", "192.168.1.255"])).toBe(true);
    expect(call("ipv4_is_match", [S, S], ["192.168.1.1", "192.168.1.255"])).toBe(false);
    expect(call("ipv4_is_in_range", [S, S], ["192.168.1.1", "192.168.1.0/24"])).toBe(true);
    expect(call("ipv4_is_in_range", [S, S], ["192.168.2.1", "192.168.1.0/24"])).toBe(false);
    expect(call("ipv4_is_in_range", [S, S], ["10.1.2.3", "10.0.0.0/8"])).toBe(true);
    expect(call("ipv4_is_in_range", [S, S], ["bad", "10.0.0.0/8"])).toBe(null);
    expect(call("ipv4_is_in_any_range", [S, S, S], ["192.168.1.6", "10.0.0.0/8", "192.168.1.0/24"])).toBe(true);
    expect(call("ipv4_is_in_any_range", [S, Y], ["192.168.1.6", ["10.0.0.0/8", "172.16.0.0/12"]])).toBe(false);
    // ipv4-is-in-any-range-function.md examples
    expect(call("ipv4_is_in_any_range", [S, S, S, S], ["192.168.1.6", "192.168.1.1/24", "10.0.0.1/8", "127.1.0.1/16"])).toBe(true);
    expect(call("ipv4_is_in_any_range", [S, Y], ["127.0.0.1", ["127.0.0.1", "192.168.1.1"]])).toBe(true);
    const local = ["192.168.1.1/16", "127.0.0.1/8", "10.0.0.1/8"];
    expect(["10.1.2.3", "192.168.1.5", "123.1.11.21", "1.1.1.1"].map((ip) => call("ipv4_is_in_any_range", [S, Y], [ip, local])))
      .toEqual([true, true, false, false]);
    expect(call("ipv4_is_in_range", [S, S], ["192.168.1.1", "192.168.1.255/24"])).toBe(true);
  });
  it("ipv4_is_private (ipv4-is-private-function.md)", () => {
    expect(call("ipv4_is_private", [S], ["192.168.1.1/24"])).toBe(true);
    expect(call("ipv4_is_private", [S], ["10.1.2.3/24"])).toBe(true);
    expect(call("ipv4_is_private", [S], ["202.1.2.3"])).toBe(false);
    expect(call("ipv4_is_private", [S], ["127.0.0.1"])).toBe(false);
    expect(call("ipv4_is_private", [S], ["172.31.255.255"])).toBe(true);
    expect(call("ipv4_is_private", [S], ["172.32.0.0"])).toBe(false);
    expect(call("ipv4_is_private", [S], [""])).toBe(null);
  });
  it("ipv4_range_to_cidr_list (ipv4-range-to-cidr-list-function.md)", () => {
    expect(call("ipv4_range_to_cidr_list", [S, S], ["1.1.128.0", "1.1.140.255"])).toEqual(["1.1.128.0/21", "1.1.136.0/22", "1.1.140.0/24"]);
    expect(call("ipv4_range_to_cidr_list", [S, S], ["0.0.0.0", "255.255.255.255"])).toEqual(["0.0.0.0/0"]);
  });
});

describe("IPv4 in text", () => {
  it("has_ipv4 (has-ipv4-function.md)", () => {
    expect(call("has_ipv4", [S, S], ["05:04:54 127.0.0.1 GET /favicon.ico 404", "127.0.0.1"])).toBe(true);
    expect(call("has_ipv4", [S, S], ["05:04:54 127.0.0.256 GET /favicon.ico 404", "127.0.0.256"])).toBe(false);
    expect(call("has_ipv4", [S, S], ["05:04:54127.0.0.1 GET /favicon.ico 404", "127.0.0.1"])).toBe(false);
    expect(call("has_ipv4", [S, S], ["These requests came from: 192.168.1.1, 10.1.1.115 and 10.1.1.201", "10.1.1.115"])).toBe(true);
    expect(call("has_ipv4", [S, S], ["from 10.1.1.115", "10.1.1.11"])).toBe(false);
  });
  it("has_ipv4_prefix (has-ipv4-prefix-function.md)", () => {
    const line = "05:04:54 127.0.0.1 GET /favicon.ico 404";
    expect(call("has_ipv4_prefix", [S, S], [line, "127.0."])).toBe(true);
    expect(call("has_ipv4_prefix", [S, S], [line, "127.0"])).toBe(false);
    expect(call("has_ipv4_prefix", [S, S], ["05:04:54 127.0.0.256 GET /favicon.ico 404", "127.0."])).toBe(false);
    expect(call("has_ipv4_prefix", [S, S], ["05:04:54127.0.0.1 GET /favicon.ico 404", "127.0."])).toBe(false);
  });
  it("has_any_ipv4 / has_any_ipv4_prefix", () => {
    const line = "05:04:54 127.0.0.1 GET /favicon.ico 404";
    expect(call("has_any_ipv4", [S, S, S], [line, "127.0.0.1", "127.0.0.2"])).toBe(true);
    expect(call("has_any_ipv4", [S, Y], [line, ["127.0.0.2", "127.0.0.3"]])).toBe(false);
    expect(call("has_any_ipv4_prefix", [S, Y], [line, ["127.0.", "10."]])).toBe(true);
    expect(call("has_any_ipv4_prefix", [S, S, S], [line, "127.1.", "10."])).toBe(false);
  });
});

describe("IPv6", () => {
  it("parse_ipv6 (parse-ipv6-function.md)", () => {
    expect(call("parse_ipv6", [S], ["192.168.255.255"])).toBe("0000:0000:0000:0000:0000:ffff:c0a8:ffff");
    expect(call("parse_ipv6", [S], ["192.168.255.255/24"])).toBe("0000:0000:0000:0000:0000:ffff:c0a8:ff00");
    expect(call("parse_ipv6", [S], ["255.255.255.255"])).toBe("0000:0000:0000:0000:0000:ffff:ffff:ffff");
    expect(call("parse_ipv6", [S], ["fe80::85d:e82c:9446:7994"])).toBe("fe80:0000:0000:0000:085d:e82c:9446:7994");
    expect(call("parse_ipv6", [S], ["fe80:::1"])).toBe("");
  });
  it("parse_ipv6_mask (parse-ipv6-mask-function.md)", () => {
    const rows: [string, number, string][] = [
      ["192.168.255.255", 120, "0000:0000:0000:0000:0000:ffff:c0a8:ff00"],
      ["192.168.255.255/24", 124, "0000:0000:0000:0000:0000:ffff:c0a8:ff00"],
      ["255.255.255.255", 128, "0000:0000:0000:0000:0000:ffff:ffff:ffff"],
      ["fe80::85d:e82c:9446:7994", 128, "fe80:0000:0000:0000:085d:e82c:9446:7994"],
      ["fe80::85d:e82c:9446:7994/120", 124, "fe80:0000:0000:0000:085d:e82c:9446:7900"],
      ["::192.168.255.255", 128, "0000:0000:0000:0000:0000:ffff:c0a8:ffff"],
      ["::192.168.255.255/24", 128, "0000:0000:0000:0000:0000:ffff:c0a8:ff00"],
    ];
    for (const [ip, p, want] of rows) expect(call("parse_ipv6_mask", [S, L], [ip, p])).toBe(want);
  });
  it("ipv6_compare (ipv6-compare-function.md): all documented equality cases", () => {
    const pairs: [string, string][] = [
      ["192.168.1.1", "192.168.1.1"], ["192.168.1.1/24", "192.168.1.255"], ["192.168.1.1", "192.168.1.255/24"],
      ["192.168.1.1/30", "192.168.1.255/24"], ["fe80::85d:e82c:9446:7994", "fe80::85d:e82c:9446:7994"],
      ["fe80::85d:e82c:9446:7994/120", "fe80::85d:e82c:9446:7998"], ["fe80::85d:e82c:9446:7994", "fe80::85d:e82c:9446:7998/120"],
      ["fe80::85d:e82c:9446:7994/120", "fe80::85d:e82c:9446:7998/120"], ["192.168.1.1", "::ffff:c0a8:0101"],
      ["192.168.1.1/24", "::ffff:c0a8:01ff"], ["::ffff:c0a8:0101", "192.168.1.255/24"], ["::192.168.1.1/30", "192.168.1.255/24"],
    ];
    for (const [a, b] of pairs) expect(call("ipv6_compare", [S, S], [a, b]), `${a} vs ${b}`).toBe(0);
    const withPrefix: [string, string, number][] = [
      ["192.168.1.1", "192.168.1.0", 31], ["192.168.1.1/24", "192.168.1.255", 31], ["192.168.1.1", "192.168.1.255", 24],
      ["fe80::85d:e82c:9446:7994", "fe80::85d:e82c:9446:7995", 127], ["fe80::85d:e82c:9446:7994/127", "fe80::85d:e82c:9446:7998", 120],
      ["fe80::85d:e82c:9446:7994/120", "fe80::85d:e82c:9446:7998", 127], ["192.168.1.1/24", "::ffff:c0a8:01ff", 127],
      ["::ffff:c0a8:0101", "192.168.1.255", 120], ["::192.168.1.1/30", "192.168.1.255/24", 127],
    ];
    // The documented IPv4 rows with a prefix argument (31, 24) treat it as IPv4 bits for IPv4 input.
    for (const [a, b, p] of withPrefix) expect(call("ipv6_compare", [S, S, L], [a, b, p]), `${a} vs ${b} /${p}`).toBe(0);
    expect(call("ipv6_compare", [S, S, L], ["192.168.1.1", "10.0.0.1", 24])).toBe(1);
    expect(call("ipv6_compare", [S, S], ["fe80::1", "fe80::2"])).toBe(-1);
    expect(call("ipv6_is_match", [S, S], ["fe80::1", "x"])).toBe(null);
    expect(call("ipv6_is_in_range", [S, S], ["fe80::85d:e82c:9446:7994", "fe80::/16"])).toBe(true);
    expect(call("ipv6_is_in_any_range", [S, S, S], ["2001:db8::1", "fe80::/16", "2001:db8::/32"])).toBe(true);
  });
});
