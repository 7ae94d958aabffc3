const FREE = 0xffffffff;
const END_OF_CHAIN = 0xfffffffe;
const MAX_DIRECTORY_SECTORS = 256;

/**
 * The stream names in an OLE2 compound file's directory (WordDocument, Workbook, PowerPoint Document…),
 * following the FAT sectors the header lists. Null when the header or the directory chain is malformed.
 */
export function inspectCfb(b: Buffer): string[] | null {
  if (b.length < 512) return null;
  const shift = b.readUInt16LE(0x1e);
  if (shift !== 9 && shift !== 12) return null;
  const sectorSize = 1 << shift;
  const sectorAt = (n: number) => (n + 1) * sectorSize;
  const fatSectors: number[] = [];
  for (let i = 0; i < 109; i++) {
    const s = b.readUInt32LE(0x4c + i * 4);
    if (s === FREE || s === END_OF_CHAIN) break;
    fatSectors.push(s);
  }
  const perFat = sectorSize / 4;
  const next = (sector: number): number | null => {
    const fat = fatSectors[Math.floor(sector / perFat)];
    if (fat === undefined) return null;
    const at = sectorAt(fat) + (sector % perFat) * 4;
    return at + 4 <= b.length ? b.readUInt32LE(at) : null;
  };
  const names: string[] = [];
  let sector = b.readUInt32LE(0x30);
  for (let n = 0; n < MAX_DIRECTORY_SECTORS && sector !== END_OF_CHAIN; n++) {
    const start = sectorAt(sector);
    if (start + sectorSize > b.length) return names.length ? names : null;
    for (let e = start; e < start + sectorSize; e += 128) {
      const len = b.readUInt16LE(e + 64);
      if (len >= 2 && len <= 64) names.push(b.toString('utf16le', e, e + len - 2));
    }
    const following = next(sector);
    if (following === null) break;
    sector = following;
  }
  return names;
}
