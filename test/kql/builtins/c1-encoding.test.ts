// Encoding and hash functions. Expected values are the outputs printed in the KQL reference pages:
// base64-*-function.md, url-encode(-component)-function.md, url-decode-function.md, hash-function.md,
// hash-md5-function.md, hash-sha256-function.md, gzip-base64-decompress.md, zlib-base64-decompress-function.md.
import { describe, expect, it } from "vitest";
import { parseDatetime } from "../../../src/kql/values.js";
import { resolveScalar } from "../../../src/kql/builtins/index.js";
import { xxhash64 } from "../../../src/kql/builtins/encoding.js";
import { KqlError } from "../../../src/kql/api.js";
import { T, call } from "./c1-helpers.js";

describe("base64", () => {
  it("documented examples", () => {
    expect(call("base64_encode_tostring", ["Kusto"])).toBe("S3VzdG8=");
    expect(call("base64_decode_tostring", ["S3VzdG8="])).toBe("Kusto");
    expect(call("base64_decode_toarray", ["S3VzdG8="])).toEqual([75, 117, 115, 116, 111]);
    expect(call("base64_encode_fromarray", [[75, 117, 115, 116, 111]])).toBe("S3VzdG8=");
    expect(call("base64_encode_fromguid", [T("ae3133f2-6e22-49ae-b06a-16e6a9b212eb", "guid")])).toBe("8jMxriJurkmwahbmqbIS6w==");
    expect(call("base64_decode_toguid", ["8jMxriJurkmwahbmqbIS6w=="])).toBe("ae3133f2-6e22-49ae-b06a-16e6a9b212eb");
  });
  it("bytes that are not UTF-8 decode to an empty string (documented)", () => {
    expect(call("base64_decode_tostring", ["U3RyaW5n0KHR0tGA0L7Rh9C60LA="])).toBe("");
  });
  it("invalid base64 is null / empty", () => {
    expect(call("base64_decode_toarray", ["U3RyaW5n0KHR0tGA0L7Rh9C60LA"])).toBeNull();
    expect(call("base64_encode_fromarray", [T(null, "dynamic")])).toBe("");
    expect(call("base64_decode_tostring", ["not base64!"])).toBe("");
    expect(call("base64_decode_toguid", ["S3VzdG8="])).toBeNull();
  });
  it("base64_encode_fromguid only accepts a guid", () => {
    expect(resolveScalar("base64_encode_fromguid", ["string"])).toBeUndefined();
  });
});

describe("URL encoding", () => {
  it("documented examples", () => {
    expect(call("url_encode", ["https://www.bing.com/hello world"])).toBe("https%3a%2f%2fwww.bing.com%2fhello+world");
    // The page prints the input with a trailing "/" but the output without it (as url_encode's page does the reverse).
    expect(call("url_encode_component", ["https://www.bing.com/hello world"])).toBe("https%3a%2f%2fwww.bing.com%2fhello%20world");
    expect(call("url_decode", ["https%3a%2f%2fwww.bing.com%2f"])).toBe("https://www.bing.com/");
  });
  it("non-ASCII text round-trips through UTF-8 escapes", () => {
    expect(call("url_encode", ["é"])).toBe("%c3%a9");
    expect(call("url_decode", ["%C3%A9+x%zz"])).toBe("é x%zz");
  });
});

describe("hash / hash_xxhash64 (hash-function.md)", () => {
  it("documented examples with a modulo", () => {
    expect(call("hash", ["World", 100])).toBe(51);
    expect(call("hash_xxhash64", ["World", 100])).toBe(51);
    // hash("World") = 1846988464401551951 and hash(datetime(2015-01-01)) = 1380966698541616202
    expect(call("hash", ["World", 1_000_000_007])).toBe(Number(1846988464401551951n % 1_000_000_007n));
    expect(call("hash", [parseDatetime("2015-01-01")!, 1_000_000_007])).toBe(Number(1380966698541616202n % 1_000_000_007n));
  });
  it("xxHash64 reproduces the documented 64-bit values (hash-function.md, hash-combine-function.md)", () => {
    expect(BigInt.asIntN(64, xxhash64(Buffer.from("World")))).toBe(1846988464401551951n);
    expect(BigInt.asIntN(64, xxhash64(Buffer.from("Hello")))).toBe(753694413698530628n);
    // Values from the reference C implementation (python-xxhash 4.0.1, seed 0); inputs of 32+ bytes take the
    // four-lane path.
    expect(xxhash64(Buffer.from(""))).toBe(17241709254077376921n);
    expect(xxhash64(Buffer.from("abc"))).toBe(4952883123889572249n);
    expect(xxhash64(Buffer.from("powershell.exe -NoProfile -enc SQBFAFgAIAAoAE4AZQB3AC0A"))).toBe(13787966387520344578n);
    expect(xxhash64(Buffer.from("C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe -ExecutionPolicy Bypass"))).toBe(1804073174362866767n);
  });
  it("a full 64-bit hash is refused rather than rounded", () => {
    expect(() => call("hash", ["World"])).toThrow(KqlError);
  });
  it("types whose byte layout is undocumented are not resolved", () => {
    expect(resolveScalar("hash", ["long"])).toBeUndefined();
  });
});

describe("hash_md5 / hash_sha1 / hash_sha256", () => {
  it("documented examples", () => {
    expect(call("hash_md5", ["World"])).toBe("f5a7924e621e84c9280a9a27e1bcb7f6");
    expect(call("hash_md5", [parseDatetime("2020-01-01")!])).toBe("786c530672d1f8db31fee25ea8a9390b");
    expect(call("hash_sha256", ["World"])).toBe("78ae647dc5544d227130a0682a51e30bc7777fbb6d8a8f17007463a3ecd1d524");
    expect(call("hash_sha256", [parseDatetime("2020-01-01")!])).toBe("ba666752dc1a20eb750b0eb64e780cc4c968bc9fb8813461c1d7e750f302d71d");
    expect(call("hash_sha256", ["TEXAS"])).toBe("9087f20f23f91b5a77e8406846117049029e6798ebbd0d38aea68da73a00ca37");
    expect(call("hash_sha1", ["World"])).toBe("70c07ec18ef89c5309bbb0937f3a6342411e1fdd");
    expect(call("hash_sha1", [parseDatetime("2020-01-01")!])).toBe("e903e533f4d636b4fc0dcf3cf81e7b7f330de776");
    expect(call("hash_sha1", ["TEXAS"])).toBe("3128d805194d4e6141766cc846778eeacb12e3ea");
  });
});

describe("gzip / zlib decompression", () => {
  it("documented examples", () => {
    expect(call("gzip_decompress_from_base64_string", ["H4sIAAAAAAAA/wEUAOv/MTIzNDU2Nzg5MHF3ZXJ0eXVpb3A6m7f2FAAAAA=="])).toBe("1234567890qwertyuiop");
    expect(call("gzip_decompress_from_base64_string", ["x0x0x0"])).toBe("");
    expect(call("zlib_decompress_from_base64_string", ["eJwLSS0uUSguKcrMS1cwNDIGACxqBQ4="])).toBe("Test string 123");
    expect(call("zlib_decompress_from_base64_string", ["x0x0x0"])).toBe("");
  });
  it("gzip with a non-zero FLG byte is refused (the page: expected to be zero; was the empty result)", () => {
    // gzip of "hello" with FNAME "a.txt" (FLG = 8); the same stream without the name decodes.
    expect(() => call("gzip_decompress_from_base64_string", ["H4sICAAAAAAC/2EudHh0AMtIzcnJBwCGphA2BQAAAA=="])).toThrow(/FLG = 8/);
    expect(call("gzip_decompress_from_base64_string", ["H4sIAAAAAAACA8tIzcnJBwCGphA2BQAAAA=="])).toBe("hello");
  });
  it("compression writes the documented stored-block bytes (more in h3-compress.test.ts)", () => {
    expect(call("gzip_compress_to_base64_string", ["1234567890qwertyuiop"])).toBe("H4sIAAAAAAAA/wEUAOv/MTIzNDU2Nzg5MHF3ZXJ0eXVpb3A6m7f2FAAAAA==");
    expect(call("zlib_compress_to_base64_string", ["1234567890qwertyuiop"])).toBe("eAEBFADr/zEyMzQ1Njc4OTBxd2VydHl1aW9wOAkGdw==");
  });
});
