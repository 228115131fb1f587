/**
 * Look-ups by a list of keys, in statements of bounded size. SQLite binds at most 32,766
 * variables per statement (SQLITE_MAX_VARIABLE_NUMBER since 3.32) and PostgreSQL's protocol
 * 65,535 parameters; a statement needs a few besides the list.
 */
const IN_LIST_CHUNK = 10_000;

/**
 * Runs `query` on the distinct keys (ids, or names) in ascending chunks and concatenates the rows.
 * The chunks are ascending ranges, so rows ordered by that key within each chunk stay ordered overall.
 */
export async function inChunks<K extends number | string, T>(
  keys: readonly K[],
  query: (chunk: K[]) => T[] | Promise<T[]>,
): Promise<T[]> {
  const sorted = [...new Set(keys)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const rows: T[] = [];
  for (let i = 0; i < sorted.length; i += IN_LIST_CHUNK)
    rows.push(...(await query(sorted.slice(i, i + IN_LIST_CHUNK))));
  return rows;
}
