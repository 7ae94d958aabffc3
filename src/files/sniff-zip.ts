import { inflateRawSync } from 'node:zlib';

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MAX_ENTRIES = 20_000;
const MAX_CONTENT_TYPES = 1024 * 1024;

/** A zip entry as its central directory describes it. */
export interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  compressed: number;
  /** The uncompressed size the directory declares (a bomb may lie about it). */
  declared: number;
  local: number;
}

export type ZipDirectoryProblem =
  { problem: 'not a zip' | 'zip64' | 'damaged' } | { problem: 'too many entries'; count: number };

/** The central directory read from the end of the buffer: its entries, or why it cannot be read. */
export function zipDirectory(b: Buffer, maxEntries: number): ZipEntry[] | ZipDirectoryProblem {
  const eocd = findEocd(b);
  if (eocd < 0) return { problem: 'not a zip' };
  const count = b.readUInt16LE(eocd + 10);
  const size = b.readUInt32LE(eocd + 12);
  const offset = b.readUInt32LE(eocd + 16);
  if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) return { problem: 'zip64' }; // no Office file of this size needs it
  if (count > maxEntries) return { problem: 'too many entries', count };
  if (offset + size > eocd) return { problem: 'damaged' };
  const entries: ZipEntry[] = [];
  let at = offset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > b.length || b.readUInt32LE(at) !== CENTRAL) return { problem: 'damaged' };
    const nameLen = b.readUInt16LE(at + 28);
    if (at + 46 + nameLen > b.length) return { problem: 'damaged' };
    entries.push({
      name: b.toString('utf8', at + 46, at + 46 + nameLen),
      flags: b.readUInt16LE(at + 8),
      method: b.readUInt16LE(at + 10),
      compressed: b.readUInt32LE(at + 20),
      declared: b.readUInt32LE(at + 24),
      local: b.readUInt32LE(at + 42),
    });
    at += 46 + nameLen + b.readUInt16LE(at + 30) + b.readUInt16LE(at + 32);
  }
  return entries;
}

/** An entry's compressed bytes, found through its local header; or whether the header is missing or they are cut short. */
export function entryData(b: Buffer, e: ZipEntry): Buffer | 'missing' | 'cut short' {
  if (e.local + 30 > b.length || b.readUInt32LE(e.local) !== LOCAL) return 'missing';
  const start = e.local + 30 + b.readUInt16LE(e.local + 26) + b.readUInt16LE(e.local + 28);
  if (start + e.compressed > b.length) return 'cut short';
  return b.subarray(start, start + e.compressed);
}

export interface ZipListing {
  names: string[];
  /** `[Content_Types].xml`, inflated on its own (the only entry ever decompressed), or null if absent. */
  contentTypes: string | null;
}

/**
 * The entry names of a zip, and the one small `[Content_Types].xml` entry of an OOXML package. Null for
 * anything that is not a well-formed zip.
 */
export function inspectZip(b: Buffer): ZipListing | null {
  const entries = zipDirectory(b, MAX_ENTRIES);
  if (!Array.isArray(entries)) return null;
  const types = entries.find((e) => e.name === '[Content_Types].xml');
  return { names: entries.map((e) => e.name), contentTypes: types ? readEntry(b, types) : null };
}

function findEocd(b: Buffer): number {
  const stop = Math.max(0, b.length - 22 - 0xffff);
  for (let i = b.length - 22; i >= stop; i--) if (b.readUInt32LE(i) === EOCD) return i;
  return -1;
}

function readEntry(b: Buffer, e: ZipEntry): string | null {
  if (e.compressed > MAX_CONTENT_TYPES) return null;
  const data = entryData(b, e);
  if (typeof data === 'string') return null;
  try {
    if (e.method === 0) return data.toString('utf8');
    if (e.method === 8) return inflateRawSync(data, { maxOutputLength: MAX_CONTENT_TYPES }).toString('utf8');
  } catch {
    return null;
  }
  return null;
}
