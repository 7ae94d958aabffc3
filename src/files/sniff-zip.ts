import { inflateRawSync } from 'node:zlib';

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MAX_ENTRIES = 20_000;
const MAX_CONTENT_TYPES = 1024 * 1024;

export interface ZipListing {
  names: string[];
  /** `[Content_Types].xml`, inflated on its own (the only entry ever decompressed), or null if absent. */
  contentTypes: string | null;
}

/**
 * Reads a zip's central directory from the end of the buffer: the entry names, and the one small
 * `[Content_Types].xml` entry of an OOXML package. Null for anything that is not a well-formed zip.
 */
export function inspectZip(b: Buffer): ZipListing | null {
  const eocd = findEocd(b);
  if (eocd < 0) return null;
  const count = b.readUInt16LE(eocd + 10);
  const size = b.readUInt32LE(eocd + 12);
  const offset = b.readUInt32LE(eocd + 16);
  if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) return null; // zip64: no Office file of this size needs it
  if (count > MAX_ENTRIES || offset + size > eocd) return null;
  const names: string[] = [];
  let contentTypes: string | null = null;
  let at = offset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > b.length || b.readUInt32LE(at) !== CENTRAL) return null;
    const method = b.readUInt16LE(at + 10);
    const compressed = b.readUInt32LE(at + 20);
    const nameLen = b.readUInt16LE(at + 28);
    const extraLen = b.readUInt16LE(at + 30);
    const commentLen = b.readUInt16LE(at + 32);
    const local = b.readUInt32LE(at + 42);
    if (at + 46 + nameLen > b.length) return null;
    const name = b.toString('utf8', at + 46, at + 46 + nameLen);
    names.push(name);
    if (name === '[Content_Types].xml') contentTypes = readEntry(b, local, method, compressed);
    at += 46 + nameLen + extraLen + commentLen;
  }
  return { names, contentTypes };
}

function findEocd(b: Buffer): number {
  const stop = Math.max(0, b.length - 22 - 0xffff);
  for (let i = b.length - 22; i >= stop; i--) if (b.readUInt32LE(i) === EOCD) return i;
  return -1;
}

function readEntry(b: Buffer, local: number, method: number, compressed: number): string | null {
  if (local + 30 > b.length || b.readUInt32LE(local) !== LOCAL) return null;
  const start = local + 30 + b.readUInt16LE(local + 26) + b.readUInt16LE(local + 28);
  if (start + compressed > b.length || compressed > MAX_CONTENT_TYPES) return null;
  const data = b.subarray(start, start + compressed);
  try {
    if (method === 0) return data.toString('utf8');
    if (method === 8) return inflateRawSync(data, { maxOutputLength: MAX_CONTENT_TYPES }).toString('utf8');
  } catch {
    return null;
  }
  return null;
}
