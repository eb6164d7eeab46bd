/**
 * Keyset pagination of request lists: a page ends on a row, the next starts after it in the
 * list's order (sort value, then id). The cursor names its order, so a cursor of another order
 * (an old link) is ignored and the list starts again at its first page. Timestamps keep
 * PostgreSQL's microseconds (a JavaScript Date would cut them, and rows of one millisecond be skipped).
 */
import { type AnyColumn, type SQL, sql } from 'drizzle-orm';
import { requests } from '../../db/schema.js';
import { isBigId } from '../validation.js';

/** A timestamp as the cursors carry it, and as SQL writes it. */
export const TIMESTAMP_VALUE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
export const cursorTimestamp = (column: AnyColumn) =>
  sql<string>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

export type Keyset = {
  /** The order's name, e.g. « maj-desc ». */
  order: string;
  column: AnyColumn | SQL;
  /** How a value of the column is written in the cursor. */
  value: RegExp;
  cast: 'timestamptz' | 'bigint';
  direction: 'asc' | 'desc';
};

export const encodeCursor = (keyset: Keyset, value: string, id: number) =>
  Buffer.from(`${keyset.order}|${value}|${id}`).toString('base64url');

/** The condition « after the cursor's row » in the keyset's order; none for a missing or foreign cursor. */
export function afterCursor(keyset: Keyset, cursor: string | undefined): SQL | undefined {
  if (!cursor) return undefined;
  const [order, value, idText] = Buffer.from(cursor, 'base64url').toString().split('|');
  const id = Number(idText);
  if (order !== keyset.order || !value || !keyset.value.test(value) || !isBigId(id)) return undefined;
  const typed = sql`${value}::${sql.raw(keyset.cast)}`;
  return keyset.direction === 'desc'
    ? sql`(${keyset.column}, ${requests.id}) < (${typed}, ${id})`
    : sql`(${keyset.column}, ${requests.id}) > (${typed}, ${id})`;
}
