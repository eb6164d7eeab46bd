/**
 * Turns what a person typed into a PostgreSQL text search query, safely: the words go through
 * `websearch_to_tsquery` (which accepts any text), and the last word is also matched as a prefix
 * so that a partial word finds results while typing. The prefix is built from letters and digits
 * only, so no user text ever reaches the `to_tsquery` syntax.
 */
import { type SQL, sql } from 'drizzle-orm';

/** Longer input is cut: nobody searches with more, and it bounds the work of the database. */
export const MAX_QUERY_LENGTH = 200;
/** A one-letter prefix would match almost everything. */
const MIN_PREFIX_LENGTH = 2;

export type ParsedQuery = { text: string; words: string[]; prefix: string | null };

/** Removes control characters (NUL breaks PostgreSQL text) and collapses spaces. */
export function cleanQueryText(raw: string): string {
  return (
    raw
      // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed.
      .replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ')
      .slice(0, MAX_QUERY_LENGTH)
      .replace(/\s+/g, ' ')
      .trim()
  );
}

export function parseQuery(raw: string): ParsedQuery {
  const text = cleanQueryText(raw);
  const words = text.match(/[\p{L}\p{N}]+/gu) ?? [];
  const last = words.at(-1) ?? '';
  const prefix = last.length >= MIN_PREFIX_LENGTH && !/^\p{N}+$/u.test(last) ? last.toLowerCase() : null;
  return { text, words, prefix };
}

export const isEmptyQuery = (q: ParsedQuery) => q.words.length === 0;

/**
 * The tsquery: all the words, or all but the last plus the last as a prefix.
 * An empty part (stop words only) is dropped by PostgreSQL's `||` and `&&` on tsquery.
 */
export function tsQuery(q: ParsedQuery): SQL {
  const words = sql`websearch_to_tsquery('fr_unaccent', ${q.text})`;
  if (!q.prefix) return words;
  const head = q.words.slice(0, -1).join(' ');
  const prefix = sql`to_tsquery('fr_unaccent', ${`${q.prefix}:*`})`;
  return sql`(${words} || (websearch_to_tsquery('fr_unaccent', ${head}) && ${prefix}))`;
}

/**
 * SQL that makes a text HTML-safe before `ts_headline` adds its `<mark>` tags: `&`, `<`, `>`, `"`
 * become entities (the text search parser keeps entities whole, so a fragment never cuts one).
 */
export function escapedHtml(text: SQL): SQL {
  return sql`replace(replace(replace(replace(${text}, '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), '"', '&quot;')`;
}

export const HEADLINE_OPTIONS =
  'StartSel=<mark>, StopSel=</mark>, MaxFragments=2, MaxWords=22, MinWords=8, ShortWord=2, FragmentDelimiter=" … "';

/** A highlighted, HTML-safe excerpt of `text` for the query `query` (an SQL expression). */
export function headline(text: SQL, query: SQL): SQL<string> {
  return sql<string>`ts_headline('fr_unaccent', ${escapedHtml(text)}, ${query}, ${HEADLINE_OPTIONS})`;
}
