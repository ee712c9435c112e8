// gzip/zlib compression. Expected values: gzip-base64-compress.md and zlib-base64-compress.md examples; longer
// inputs are checked against node's own zlib at level 0 (an independent stored-block encoder: same bytes for the
// zlib stream; for gzip the same bytes except the header's XFL/OS, which follow the documented example).
import { describe, expect, it } from "vitest";
import { deflateSync, gzipSync } from "node:zlib";
import { runQuery } from "../../../src/kql/engine.js";

const one = (q: string) => runQuery(q).rows[0]![0];

describe("gzip_compress_to_base64_string / zlib_compress_to_base64_string", () => {
  it("documented examples", () => {
    expect(one('print res = gzip_compress_to_base64_string("1234567890qwertyuiop")'))
      .toBe("H4sIAAAAAAAA/wEUAOv/MTIzNDU2Nzg5MHF3ZXJ0eXVpb3A6m7f2FAAAAA==");
    expect(one('print zcomp = zlib_compress_to_base64_string("1234567890qwertyuiop")'))
      .toBe("eAEBFADr/zEyMzQ1Njc4OTBxd2VydHl1aW9wOAkGdw==");
  });
  it("match zlib's stored encoding for longer UTF-8 text and round-trip through the decompressors", () => {
    const text = "Ünïcødé ✓ ".repeat(250); // 3,500 UTF-8 bytes
    const bytes = Buffer.from(text, "utf8");
    expect(one(`print zlib_compress_to_base64_string(strrep("Ünïcødé ✓ ", 250))`)).toBe(deflateSync(bytes, { level: 0 }).toString("base64"));
    const gz = Buffer.from(one(`print gzip_compress_to_base64_string(strrep("Ünïcødé ✓ ", 250))`) as string, "base64");
    const ref = gzipSync(bytes, { level: 0 });
    expect(gz.subarray(10)).toEqual(ref.subarray(10));
    expect([...gz.subarray(0, 10)]).toEqual([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
    expect(one(`print gzip_decompress_from_base64_string(gzip_compress_to_base64_string("héllo wörld"))`)).toBe("héllo wörld");
    expect(one(`print zlib_decompress_from_base64_string(zlib_compress_to_base64_string("héllo wörld"))`)).toBe("héllo wörld");
  });
  it("zlib_decompress_from_base64_string: documented examples; a window size other than 15 is refused", () => {
    expect(one('print zcomp = zlib_decompress_from_base64_string("eJwLSS0uUSguKcrMS1cwNDIGACxqBQ4=")')).toBe("Test string 123");
    expect(one('print zcomp = zlib_decompress_from_base64_string("x0x0x0")')).toBe("");
    // "The only supported window size is 15": a 4 KiB-window stream (first byte 0x48) was inflated all the same.
    const small = deflateSync(Buffer.from("hello"), { windowBits: 12 }).toString("base64");
    expect(() => runQuery(`print zlib_decompress_from_base64_string("${small}")`)).toThrow(/window size 12/);
  });
  it("refuses inputs whose layout Kusto does not document (empty, over 4096 bytes)", () => {
    expect(() => runQuery('print gzip_compress_to_base64_string("")')).toThrow(/unsupported: gzip_compress_to_base64_string\(\) of an empty string/);
    expect(() => runQuery('print zlib_compress_to_base64_string(strcat_array(range(1, 1500, 1), ""))')).toThrow(/more than 4096 bytes/);
  });
});
