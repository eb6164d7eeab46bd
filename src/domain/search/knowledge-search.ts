/**
 * French full-text search of the knowledge base: published FAQ entries and documents the actor may
 * read, ranked (title above summary/answer above the file's text), with highlighted excerpts.
 * One SQL statement; the excerpts are computed only for the rows returned.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import type { Actor } from '../actor.js';
import { DOCUMENT_TYPES } from '../knowledge/documents-files.js';
import { readableBy } from '../knowledge/policy.js';
import { isSerialId } from '../validation.js';
import { headline, isEmptyQuery, parseQuery, tsQuery } from './text-query.js';

export type KnowledgeType = 'faq' | 'document';

export type KnowledgeHit = {
  type: KnowledgeType;
  id: number;
  number?: number;
  title: string;
  /** HTML-safe: the source text is escaped, then the matched words are wrapped in `<mark>`. */
  excerpt: string;
  url: string;
  applicationName: string | null;
  themeName: string | null;
  rank: number;
  format?: string;
  sizeBytes?: number;
};

export type KnowledgeQuery = {
  text: string;
  applicationId?: number;
  themeId?: number;
  types?: KnowledgeType[];
  limit?: number;
};

export const MAX_KNOWLEDGE_RESULTS = 100;
const DEFAULT_LIMIT = 20;
/** Only the beginning of a file's text is used for its excerpt: ts_headline reads all it is given. */
export const EXCERPT_FILE_CHARS = 20_000;

export const documentUrl = (id: number) => `/base-documentaire/documents/${id}`;
export const faqUrl = (number: number) => `/faq/${number}`;

/** A short format name for a media type (« PDF »), as the document pages name it. */
export const formatLabel = (mediaType: string): string => DOCUMENT_TYPES[mediaType] ?? 'Fichier';

type Row = {
  type: KnowledgeType;
  id: number;
  number: number | null;
  title: string;
  excerpt: string | null;
  application_name: string | null;
  theme_name: string | null;
  rank: number | string;
  media_type: string | null;
  size_bytes: number | string | null;
};

export async function searchKnowledge(db: Executor, actor: Actor | null, query: KnowledgeQuery): Promise<KnowledgeHit[]> {
  const parsed = parseQuery(query.text);
  if (isEmptyQuery(parsed)) return [];
  const types = query.types?.length ? query.types : (['faq', 'document'] as const);
  const limit = Math.min(Math.max(Math.trunc(query.limit ?? DEFAULT_LIMIT), 1), MAX_KNOWLEDGE_RESULTS);
  const q = tsQuery(parsed);
  const branches: SQL[] = [];
  if (types.includes('faq')) branches.push(branch('faq', actor, query, q));
  if (types.includes('document')) branches.push(branch('document', actor, query, q));
  if (!branches.length) return [];
  const result = await db.execute(sql`
    with hits as (
      ${sql.join(branches, sql` union all `)}
      order by rank desc, type, id
      limit ${limit}
    )
    select h.type, h.id, f.number, coalesce(f.title, d.title) as title, a.name as application_name, t.name as theme_name,
      h.rank, v.media_type, v.size_bytes,
      case when h.type = 'faq' then ${headline(plainMarkdown(sql`f.body`), q)}
        else ${headline(sql`d.summary || ' ' || left(d.file_text, ${EXCERPT_FILE_CHARS})`, q)} end as excerpt
    from hits h
    left join faq_entries f on h.type = 'faq' and f.id = h.id
    left join documents d on h.type = 'document' and d.id = h.id
    left join applications a on a.id = h.application_id
    left join themes t on t.id = h.theme_id
    left join lateral (
      select dv.media_type, dv.size_bytes from document_versions dv
      where h.type = 'document' and dv.document_id = h.id order by dv.version desc limit 1
    ) v on true
    order by h.rank desc, h.type, h.id`);
  return (result.rows as Row[]).map(toHit);
}

/** An FAQ answer is Markdown: its link targets and emphasis marks have no place in an excerpt. */
const MARKDOWN_LINK_TARGET = String.raw`\]\([^)]*\)`;
const MARKDOWN_MARKS = '!?\\[|[*_`#>~]+';
export const plainMarkdown = (text: SQL) =>
  sql`regexp_replace(regexp_replace(${text}, ${MARKDOWN_LINK_TARGET}, '', 'g'), ${MARKDOWN_MARKS}, '', 'g')`;

/** One side of the union: the matching, published, readable items of one table. */
function branch(type: KnowledgeType, actor: Actor | null, query: KnowledgeQuery, q: SQL): SQL {
  const table = type === 'faq' ? sql`faq_entries` : sql`documents`;
  const filters: SQL[] = [sql`x.search @@ ${q}`, sql`x.published`, readableBy(actor, sql`x.audience`)];
  if (query.applicationId !== undefined)
    filters.push(isSerialId(query.applicationId) ? sql`x.application_id = ${query.applicationId}` : sql`false`);
  if (query.themeId !== undefined) filters.push(isSerialId(query.themeId) ? sql`x.theme_id = ${query.themeId}` : sql`false`);
  return sql`(select ${type}::text as type, x.id, x.application_id, x.theme_id, ts_rank_cd(x.search, ${q}) as rank
    from ${table} x where ${sql.join(filters, sql` and `)})`;
}

function toHit(r: Row): KnowledgeHit {
  const hit: KnowledgeHit = {
    type: r.type,
    id: Number(r.id),
    title: r.title,
    excerpt: r.excerpt ?? '',
    url: r.type === 'faq' ? faqUrl(Number(r.number)) : documentUrl(Number(r.id)),
    applicationName: r.application_name,
    themeName: r.theme_name,
    rank: Number(r.rank),
  };
  if (r.type === 'faq') hit.number = Number(r.number);
  if (r.media_type) hit.format = formatLabel(r.media_type);
  if (r.size_bytes !== null && r.size_bytes !== undefined) hit.sizeBytes = Number(r.size_bytes);
  return hit;
}
