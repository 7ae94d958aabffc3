import type { UnitRow } from './org.repository.js';

/** The units known at one moment, looked up by code or by name (spreadsheets use either). */
export class UnitDirectory {
  private readonly byCode = new Map<string, UnitRow>();
  private readonly byName = new Map<string, UnitRow>();

  constructor(units: UnitRow[]) {
    for (const u of units) {
      this.byCode.set(u.code, u);
      this.byName.set(u.name, u);
    }
  }

  resolve(ref: string): UnitRow | null {
    const key = ref.trim();
    return this.byCode.get(key) ?? this.byName.get(key) ?? null;
  }

  name(code: string): string {
    return this.byCode.get(code)?.name ?? code;
  }
}
