/**
 * 分级督办: an office account that names its office's unit supervises that unit's subtree only; one that names
 * none (the office of a single-level deployment, at the root) supervises everything.
 */
export function supervisedRoot(user: { role: string; unitCode: string | null } | undefined): string | null {
  return user && user.role === 'office' && user.unitCode ? user.unitCode : null;
}

/** SQL: the problem's lead unit or one of its responsible units is among `param` (a text[] of unit codes). */
export function problemInUnits(param: string, alias = ''): string {
  const a = alias ? `${alias}.` : '';
  return `(${a}lead_unit = ANY(${param}::text[]) OR ${a}responsible_units && ${param}::text[])`;
}

/** SQL: the text[] of the unit `param` names and every unit below it, computed once per statement. */
export function subtreeArray(param: string): string {
  return `ARRAY(WITH RECURSIVE down(code, depth) AS (
      SELECT code, 0 FROM org_unit WHERE code = ${param}
      UNION ALL SELECT u.code, down.depth + 1 FROM org_unit u JOIN down ON u.parent_code = down.code WHERE down.depth < 50)
    SELECT code FROM down)`;
}
