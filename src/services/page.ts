/**
 * Cursor pagination shared by every listing service: `first` rows after the cursor `after`, read
 * one row past the page so `hasNextPage` needs no count query.
 */
import { decodeCursor, encodeCursor, pageSize } from './validate';

/** What a client asks for: a page size and the cursor of the last row it has. */
export interface PageRequest {
  first?: number | null;
  after?: string | null;
}

/** A listing's default and largest page size. */
export interface PageLimits {
  default: number;
  max: number;
}

export interface Page<T> {
  nodes: T[];
  cursors: string[];
  hasNextPage: boolean;
  endCursor: string | null;
}

export const MODEL_PAGE: PageLimits = { default: 100, max: 1000 };
export const JOB_PAGE: PageLimits = { default: 100, max: 1000 };
export const SAMPLE_PAGE: PageLimits = { default: 100, max: 10_000 };
export const GENE_PAGE: PageLimits = { default: 200, max: 10_000 };

/**
 * One page of rows of `kind`, whose cursors encode `position(row)`. `fetch` reads at most
 * `limit` rows after a position (null: from the start), in position order.
 */
export async function paginate<T>(
  kind: string,
  { first, after }: PageRequest,
  limits: PageLimits,
  fetch: (afterPosition: number | null, limit: number) => Promise<T[]>,
  position: (row: T) => number,
): Promise<Page<T>> {
  const limit = pageSize(first, limits.default, limits.max);
  const rows = await fetch(decodeCursor(kind, after), limit + 1);
  const nodes = rows.slice(0, limit);
  const cursors = nodes.map((row) => encodeCursor(kind, position(row)));
  return { nodes, cursors, hasNextPage: rows.length > limit, endCursor: cursors.at(-1) ?? null };
}
