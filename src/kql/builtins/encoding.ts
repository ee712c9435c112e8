// Encoding and hashing: base64 (strings, byte arrays, guids), URL encoding, hash()/hash_xxhash64 (xxHash64),
// hash_md5/sha1/sha256, and gzip/zlib decompression. Byte layouts were checked against the reference's own
// outputs (see test/kql/builtins/c1-encoding.test.ts): strings hash as UTF-8, datetimes as their 8-byte .NET
// ticks (hash) or their tostring() text (md5/sha*). Compression (the documented stored-block form) is in
// compress.ts.
import { createHash } from "node:crypto";
import { gunzipSync, inflateSync } from "node:zlib";
import { KqlError } from "../api.js";
import type { Value } from "../values.js";
import { dynNum } from "../values.js";
import { defineScalar } from "./registry.js";
import { kqlToString } from "./conversion.js";

// ---------- base64 ----------

/**
 * Strict base64 decoding as .NET's Convert.FromBase64String: whitespace ignored, standard alphabet, length a
 * multiple of 4, at most two '=' and only at the end. Null when invalid.
 */
export function base64ToBytes(text: string): Buffer | null {
  const s = text.replace(/[ \t\r\n]/g, "");
  if (s.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(s)) return null;
  return Buffer.from(s, "base64");
}

const utf8Strict = new TextDecoder("utf-8", { fatal: true });

/** UTF-8 bytes → string, or null when the bytes are not valid UTF-8. */
export function utf8OrNull(bytes: Uint8Array): string | null {
  try {
    return utf8Strict.decode(bytes);
  } catch {
    return null;
  }
}

/** .NET Guid.ToByteArray order: the first three fields little-endian, the rest as written. */
export function guidToBytes(guid: string): Buffer {
  const h = guid.replace(/-/g, "");
  const b = Buffer.from(h, "hex");
  return Buffer.concat([Buffer.from(b.subarray(0, 4)).reverse(), Buffer.from(b.subarray(4, 6)).reverse(),
    Buffer.from(b.subarray(6, 8)).reverse(), b.subarray(8)]);
}

export function bytesToGuid(b: Uint8Array): string {
  const buf = Buffer.from(b);
  const hex = Buffer.concat([Buffer.from(buf.subarray(0, 4)).reverse(), Buffer.from(buf.subarray(4, 6)).reverse(),
    Buffer.from(buf.subarray(6, 8)).reverse(), buf.subarray(8)]).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

defineScalar({
  name: "base64_encode_tostring",
  aliases: ["base64_encodestring"],
  nulls: "propagate",
  overloads: [{ params: ["string"], returns: "string", impl: ([s]) => Buffer.from(s as string, "utf8").toString("base64") }],
});

// Invalid base64, or bytes that are not UTF-8, give null — which for a string is "" (base64-decode-tostring docs).
defineScalar({
  name: "base64_decode_tostring",
  aliases: ["base64_decodestring"],
  nulls: "propagate",
  overloads: [{
    params: ["string"],
    returns: "string",
    impl: ([s]) => {
      const b = base64ToBytes(s as string);
      return (b && utf8OrNull(b)) ?? "";
    },
  }],
});

defineScalar({
  name: "base64_decode_toarray",
  nulls: "propagate",
  overloads: [{
    params: ["string"],
    returns: "dynamic",
    impl: ([s]) => {
      const b = base64ToBytes(s as string);
      return b ? Array.from(b) : null;
    },
  }],
});

defineScalar({
  name: "base64_encode_fromarray",
  nulls: "custom",
  overloads: [{
    params: ["dynamic"],
    returns: "string",
    impl: ([arr]) => {
      if (!Array.isArray(arr)) return "";
      const bytes = arr.map(dynNum); // a whole-valued real element (DynScalar) counts by its value
      if (!bytes.every((x) => x !== null && Number.isInteger(x) && x >= 0 && x <= 255)) return "";
      return Buffer.from(bytes as number[]).toString("base64");
    },
  }],
});

defineScalar({
  name: "base64_encode_fromguid",
  nulls: "propagate",
  overloads: [{ params: ["guid"], returns: "string", impl: ([g]) => guidToBytes(g as string).toString("base64") }],
});

defineScalar({
  name: "base64_decode_toguid",
  nulls: "propagate",
  overloads: [{
    params: ["string"],
    returns: "guid",
    impl: ([s]) => {
      const b = base64ToBytes(s as string);
      return b && b.length === 16 ? bytesToGuid(b) : null;
    },
  }],
});

// ---------- URL encoding ----------

// .NET HttpUtility.UrlEncode: letters, digits and -_.!*() stay; everything else is %xx (lower-case hex) of its
// UTF-8 bytes; space is '+' (url_encode) or %20 (url_encode_component). Matches url-encode-function.md.
const URL_SAFE = /[A-Za-z0-9\-_.!*()]/;

export function urlEncode(s: string, spaceAsPlus: boolean): string {
  let out = "";
  for (const ch of s) {
    if (URL_SAFE.test(ch)) out += ch;
    else if (ch === " ") out += spaceAsPlus ? "+" : "%20";
    else for (const b of Buffer.from(ch, "utf8")) out += "%" + b.toString(16).padStart(2, "0");
  }
  return out;
}

/** HttpUtility.UrlDecode: '+' is a space, %xx bytes decode as UTF-8, malformed escapes stay as written. */
export function urlDecode(s: string): string {
  // HttpUtility.UrlDecode also decodes the non-standard %uXXXX form; whether Kusto's url_decode does is not
  // documented, so text holding one is refused rather than left as written.
  if (/%u[0-9a-fA-F]{4}/.test(s)) throw new KqlError("unsupported", "unsupported: url_decode() of a %uXXXX escape (not documented)");
  let out = "";
  let bytes: number[] = [];
  const flush = () => {
    if (bytes.length) { out += Buffer.from(bytes).toString("utf8"); bytes = []; }
  };
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === "%" && /^[0-9a-fA-F]{2}$/.test(s.slice(i + 1, i + 3))) {
      bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
      continue;
    }
    flush();
    out += c === "+" ? " " : c;
  }
  flush();
  return out;
}

defineScalar({
  name: "url_encode",
  nulls: "propagate",
  overloads: [{ params: ["string"], returns: "string", impl: ([s]) => urlEncode(s as string, true) }],
});
defineScalar({
  name: "url_encode_component",
  nulls: "propagate",
  overloads: [{ params: ["string"], returns: "string", impl: ([s]) => urlEncode(s as string, false) }],
});
defineScalar({
  name: "url_decode",
  nulls: "propagate",
  overloads: [{ params: ["string"], returns: "string", impl: ([s]) => urlDecode(s as string) }],
});

// ---------- hashes ----------

const M64 = (1n << 64n) - 1n;
const P1 = 11400714785074694791n, P2 = 14029467366897019727n, P3 = 1609587929392839161n;
const P4 = 9650029242287828579n, P5 = 2870177450012600261n;
const rotl = (x: bigint, r: bigint) => ((x << r) | (x >> (64n - r))) & M64;
const xxRound = (acc: bigint, input: bigint) => (rotl((acc + input * P2) & M64, 31n) * P1) & M64;
const xxMerge = (acc: bigint, v: bigint) => (((acc ^ xxRound(0n, v)) * P1) + P4) & M64;

/** xxHash64 (seed 0) of bytes, as an unsigned 64-bit bigint. */
export function xxhash64(buf: Buffer, seed = 0n): bigint {
  const len = buf.length;
  let p = 0;
  let h: bigint;
  if (len >= 32) {
    let v1 = (seed + P1 + P2) & M64, v2 = (seed + P2) & M64, v3 = seed, v4 = (seed - P1) & M64;
    while (p <= len - 32) {
      v1 = xxRound(v1, buf.readBigUInt64LE(p)); v2 = xxRound(v2, buf.readBigUInt64LE(p + 8));
      v3 = xxRound(v3, buf.readBigUInt64LE(p + 16)); v4 = xxRound(v4, buf.readBigUInt64LE(p + 24));
      p += 32;
    }
    h = (rotl(v1, 1n) + rotl(v2, 7n) + rotl(v3, 12n) + rotl(v4, 18n)) & M64;
    h = xxMerge(xxMerge(xxMerge(xxMerge(h, v1), v2), v3), v4);
  } else {
    h = (seed + P5) & M64;
  }
  h = (h + BigInt(len)) & M64;
  for (; p + 8 <= len; p += 8) h = ((rotl(h ^ xxRound(0n, buf.readBigUInt64LE(p)), 27n) * P1) + P4) & M64;
  if (p + 4 <= len) { h = ((rotl(h ^ ((BigInt(buf.readUInt32LE(p)) * P1) & M64), 23n) * P2) + P3) & M64; p += 4; }
  for (; p < len; p++) h = (rotl(h ^ ((BigInt(buf[p]!) * P5) & M64), 11n) * P1) & M64;
  h ^= h >> 33n; h = (h * P2) & M64;
  h ^= h >> 29n; h = (h * P3) & M64;
  h ^= h >> 32n;
  return h;
}

/** Ticks between 0001-01-01 (.NET's epoch) and 1970-01-01 (the engine's). */
const DOTNET_EPOCH_OFFSET = 621355968000000000n;

function datetimeBytes(ticks: bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigInt64LE(ticks + DOTNET_EPOCH_OFFSET);
  return b;
}

const MAX_EXACT = BigInt(Number.MAX_SAFE_INTEGER);

function hashResult(h: bigint, mod: Value | undefined, name: string): number | null {
  if (mod !== undefined) {
    const m = mod as number;
    if (!Number.isInteger(m) || m <= 0) return null;
    return Number(h % BigInt(m));
  }
  const signed = BigInt.asIntN(64, h);
  if (signed > MAX_EXACT || signed < -MAX_EXACT) {
    throw new KqlError("unsupported", `unsupported: ${name}() without a modulo yields a 64-bit value beyond the engine's exact integer range (±2^53); use ${name}(x, mod)`);
  }
  return Number(signed);
}

for (const name of ["hash", "hash_xxhash64"]) {
  const overloads = [];
  for (const [type, bytes] of [
    ["string", (v: Value) => Buffer.from(v as string, "utf8")],
    ["datetime", (v: Value) => datetimeBytes(v as bigint)],
  ] as const) {
    overloads.push({ params: [type], returns: "long" as const, impl: ([v]: Value[]) => hashResult(xxhash64(bytes(v!)), undefined, name) });
    overloads.push({
      params: [type, "integral" as const],
      returns: "long" as const,
      impl: ([v, m]: Value[]) => hashResult(xxhash64(bytes(v!)), m, name),
    });
  }
  defineScalar({ name, nulls: "propagate", overloads });
}

for (const [name, algo] of [["hash_md5", "md5"], ["hash_sha1", "sha1"], ["hash_sha256", "sha256"]] as const) {
  defineScalar({
    name,
    nulls: "propagate",
    overloads: (["string", "datetime"] as const).map((t) => ({
      params: [t],
      returns: "string" as const,
      impl: ([v]: Value[]) => createHash(algo).update(kqlToString(v!, t), "utf8").digest("hex"),
    })),
  });
}

// ---------- compression (decompression only) ----------

/**
 * gzip-base64-decompress.md: ID1/ID2/CM are checked ("returns an empty output if any of these fields have incorrect
 * values"); anything else invalid — base64, deflate data or UTF-8 — yields an empty result too. "The FLG byte is
 * expected to be zero. Optional header fields are not supported": what a non-zero FLG (a file name, comment or
 * extra field that gzip itself would skip) gives is not said — refused.
 */
function gunzipText(text: string): string {
  const b = base64ToBytes(text);
  if (!b || b.length < 18 || b[0] !== 0x1f || b[1] !== 0x8b || b[2] !== 8) return "";
  if (b[3] !== 0) throw new KqlError("unsupported", `unsupported: gzip_decompress_from_base64_string() of a stream with FLG = ${b[3]} (optional header fields are not supported; the result is undocumented)`);
  try {
    return utf8OrNull(gunzipSync(b)) ?? "";
  } catch {
    return "";
  }
}

/**
 * zlib-base64-decompress-function.md: "The only supported window size is 15". A stream declaring a smaller window
 * (CINFO < 7 in its first byte) inflates fine with zlib itself, but whether Kusto decodes it or gives the empty
 * "failed" result is undocumented: refused. A header that is not zlib at all (CM ≠ 8, bad check bits) still fails.
 */
function inflateText(text: string): string {
  const b = base64ToBytes(text);
  if (!b) return "";
  const zlibHeader = b.length >= 2 && (b[0]! & 0x0f) === 8 && ((b[0]! << 8) | b[1]!) % 31 === 0;
  if (zlibHeader && b[0]! >> 4 !== 7) {
    throw new KqlError("unsupported", `unsupported: zlib_decompress_from_base64_string() of a stream with window size ${(b[0]! >> 4) + 8} (only 15 is supported; its result is undocumented)`);
  }
  try {
    return utf8OrNull(inflateSync(b)) ?? "";
  } catch {
    return "";
  }
}

defineScalar({
  name: "gzip_decompress_from_base64_string",
  nulls: "propagate",
  overloads: [{ params: ["string"], returns: "string", impl: ([s]) => gunzipText(s as string) }],
});
defineScalar({
  name: "zlib_decompress_from_base64_string",
  nulls: "propagate",
  overloads: [{ params: ["string"], returns: "string", impl: ([s]) => inflateText(s as string) }],
});

