/** TypeORM answers UPDATE/DELETE … RETURNING on PostgreSQL as [rows, count]; SELECT and INSERT as rows. */
export function returned<T = any>(result: unknown): T[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number')
    return result[0] as T[];
  return (result as T[]) ?? [];
}
