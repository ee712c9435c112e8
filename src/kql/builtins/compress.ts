// gzip_compress_to_base64_string / zlib_compress_to_base64_string. The documented outputs for
// "1234567890qwertyuiop" are not compressed at all: both hold the UTF-8 bytes in one deflate *stored* block
// (zlib: header 78 01, stored block, Adler-32; gzip: header 1f 8b 08 00, mtime 0, XFL 0, OS ff, stored block,
// CRC-32, size). These streams are built here byte for byte. How Kusto splits longer inputs into several stored
// blocks depends on its compressor's buffer sizes, which are not documented: inputs over 4096 bytes, and the
// empty string (whose encoding is not documented either), are refused.
import { crc32 } from "node:zlib";
import { KqlError } from "../api.js";
import { defineScalar } from "./registry.js";

const MAX_BYTES = 4096;

function storedBlock(data: Buffer, fn: string): Buffer {
  if (data.length === 0 || data.length > MAX_BYTES) {
    const what = data.length === 0 ? "an empty string" : `more than ${MAX_BYTES} bytes`;
    throw new KqlError("unsupported", `unsupported: ${fn}() of ${what} (Kusto's block layout is not documented)`);
  }
  const head = Buffer.alloc(5);
  head[0] = 1; // BFINAL = 1, BTYPE = 00 (stored)
  head.writeUInt16LE(data.length, 1);
  head.writeUInt16LE(~data.length & 0xffff, 3);
  return Buffer.concat([head, data]);
}

function adler32(data: Buffer): number {
  let a = 1, b = 0;
  for (const byte of data) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xff]);

function gzipStored(text: string): string {
  const data = Buffer.from(text, "utf8");
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc32(data) >>> 0, 0);
  trailer.writeUInt32LE(data.length, 4);
  return Buffer.concat([GZIP_HEADER, storedBlock(data, "gzip_compress_to_base64_string"), trailer]).toString("base64");
}

function zlibStored(text: string): string {
  const data = Buffer.from(text, "utf8");
  const trailer = Buffer.alloc(4);
  trailer.writeUInt32BE(adler32(data), 0);
  return Buffer.concat([Buffer.from([0x78, 0x01]), storedBlock(data, "zlib_compress_to_base64_string"), trailer]).toString("base64");
}

defineScalar({
  name: "gzip_compress_to_base64_string",
  nulls: "propagate",
  overloads: [{ params: ["string"], returns: "string", impl: ([s]) => gzipStored(s as string) }],
});
defineScalar({
  name: "zlib_compress_to_base64_string",
  nulls: "propagate",
  overloads: [{ params: ["string"], returns: "string", impl: ([s]) => zlibStored(s as string) }],
});
