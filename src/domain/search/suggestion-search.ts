/**
 * Ranking of the knowledge base for a request being written. Each word of the subject counts by
 * how rare it is among the application's items (a word every item has tells nothing) and by where
 * it is found: in a title more than in an answer or summary, more than in a file's text. The
 * subject's words make the score; the description's weigh in less; the chosen theme adds a little.
 * A score under the threshold is no suggestion: better none than a wrong one.
 *
 * One SQL statement (PostgreSQL 15 and PGlite): the words become lexemes through the `fr_unaccent`
 * configuration, each matched against the stored `search` vectors (title weighted A, answer or
 * summary B, file text C) with weight-restricted queries; `ts_rank_cd` breaks ties by proximity.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import type { Actor } from '../actor.js';
import { readableBy } from '../knowledge/policy.js';
import {
  documentUrl,
  EXCERPT_FILE_CHARS,
  faqUrl,
  formatLabel,
  type KnowledgeHit,
  type KnowledgeType,
  plainMarkdown,
} from './knowledge-search.js';
import { withFamily } from './question-words.js';
import { headline } from './text-query.js';

/** What is matched: the subject's words, the one being typed, the description's words. */
export type RankedQuestion = {
  subjectWords: string[];
  /** The subject's last word, also matched as a prefix (it may be half typed). */
  typedWord: string | null;
  descriptionWords: string[];
  applicationId: number;
  themeId: number | null;
  limit: number;
};

/** Where a word is found: title, answer or summary, file text. */
const PLACE = { title: 1, text: 0.6, file: 0.4 };
/** The description's words count for this share of the subject's. */
const DESCRIPTION_SHARE = 0.35;
/** The chosen theme's items come first among equals. */
const THEME_BONUS = 0.1;
/** Under this score (1 = every word of the subject in the title), nothing is suggested. */
export const MIN_SCORE = 0.3;
/** Items of each kind scored finely, at most (the first by a plain rank). */
const CANDIDATES = 100;
/** Prefixes shorter than this match too many words. */
const MIN_PREFIX = 3;

type Row = {
  type: KnowledgeType;
  id: number;
  number: number | null;
  title: string;
  excerpt: string | null;
  score: number | string;
  media_type: string | null;
  size_bytes: number | string | null;
};

/** A constant of the ranking, written into the statement (typed as a number, not as a parameter). */
const num = (n: number) => sql.raw(String(n));

/** A lexeme or prefix as `to_tsquery('simple', …)` text, quoted so that any lexeme stays one operand. */
const quoted = (text: SQL) => sql`'''' || replace(replace(${text}, '\\', '\\\\'), '''', '''''') || ''''`;

/** The best items for the question, best first, above the threshold. */
export async function rankSuggestions(db: Executor, actor: Actor, question: RankedQuestion): Promise<KnowledgeHit[]> {
  const result = await db.execute(sql`
    with words as (
      select g.source, g.prefix, l.any_text, l.title_text, l.text_text
      from json_to_recordset(${JSON.stringify(groupsOf(question))}::json) as g(source int, text text, prefix text)
      cross join lateral (
        select ${alternatives(sql`''`)} as any_text, ${alternatives(sql`':A'`)} as title_text,
          ${alternatives(sql`':AB'`)} as text_text
        from unnest(to_tsvector('fr_unaccent', g.text)) w
      ) l
      where l.any_text is not null
    ),
    terms as (
      select distinct on (any_text) source, prefix,
        to_tsquery('simple', any_text) as q, to_tsquery('simple', title_text) as q_title,
        to_tsquery('simple', text_text) as q_text
      from words order by any_text, source, prefix nulls last
    ),
    wanted as (select ${anyOf(sql`true`)} as any_term, ${anyOf(sql`source = 1`)} as subject),
    pool as (${pool(actor, question, 'faq')} union all ${pool(actor, question, 'document')}),
    stats as materialized (
      select t.*, ln(1 + (n.n - df.df + 0.5) / (greatest(df.df, 1) + 0.5)) as idf
      from terms t
      cross join (select ${countOf(actor, question, 'faq')} + ${countOf(actor, question, 'document')} as n) n
      cross join lateral (
        select ${countOf(actor, question, 'faq', sql`x.search @@ t.q`)} + ${countOf(actor, question, 'document', sql`x.search @@ t.q`)} as df
      ) df
    ),
    scored as (
      select p.type, p.id,
        coalesce(sum(s.idf * ${place(sql`p.search`)}) filter (where s.source = 1)
          / nullif(sum(s.idf) filter (where s.source = 1), 0), 0) as subject_score,
        coalesce(sum(s.idf * ${place(sql`p.search`)}) filter (where s.source = 2)
          / nullif(sum(s.idf) filter (where s.source = 2), 0), 0) as description_score,
        coalesce(bool_or(p.theme_id = ${question.themeId}), false) as same_theme
      from pool p cross join stats s
      group by p.type, p.id
    ),
    hits as (
      select s.type, s.id,
        s.subject_score + ${num(DESCRIPTION_SHARE)} * s.description_score + case when s.same_theme then ${num(THEME_BONUS)} else 0 end as score,
        ts_rank_cd(p.search, w.subject, 32) as proximity
      from scored s join pool p on p.type = s.type and p.id = s.id cross join wanted w
      where s.subject_score > 0
    )
    select h.type, h.id, f.number, coalesce(f.title, d.title) as title, h.score, v.media_type, v.size_bytes,
      ${excerpt()} as excerpt
    from (select * from hits where score >= ${num(MIN_SCORE)} order by score desc, proximity desc, type, id limit ${question.limit}) h
    left join faq_entries f on h.type = 'faq' and f.id = h.id
    left join documents d on h.type = 'document' and d.id = h.id
    left join lateral (
      select dv.media_type, dv.size_bytes from document_versions dv
      where h.type = 'document' and dv.document_id = h.id order by dv.version desc limit 1
    ) v on true
    order by h.score desc, h.proximity desc, h.type, h.id`);
  return (result.rows as Row[]).map(toHit);
}

/** A word's lexemes (its family's too) as `to_tsquery('simple', …)` text, each with the weights given; its prefix last. */
function alternatives(weights: SQL): SQL {
  const lexemes = sql`string_agg(${quoted(sql`w.lexeme`)} || ${weights}, ' | ')`;
  return sql`${lexemes} || coalesce(' | ' || ${quoted(sql`lower(unaccent(g.prefix))`)} || ':*' || ltrim(${weights}, ':'), '')`;
}

/** The words as groups for the statement: one per word, with its source (1 subject, 2 description). */
function groupsOf(question: RankedQuestion) {
  const subject = question.subjectWords.map((word) => ({
    source: 1,
    text: withFamily(word),
    prefix: word === question.typedWord && word.length >= MIN_PREFIX ? word : null,
  }));
  const description = question.descriptionWords.map((word) => ({ source: 2, text: withFamily(word), prefix: null }));
  return [...subject, ...description];
}

/** The place of the best match of term `s` in an item: title, text, file, or nowhere. */
function place(search: SQL): SQL {
  return sql`case when ${search} @@ s.q_title then ${num(PLACE.title)} when ${search} @@ s.q_text then ${num(PLACE.text)}
    when ${search} @@ s.q then ${num(PLACE.file)} else 0 end`;
}

/** Any of the terms (an aggregate of `||` over tsquery, which PostgreSQL lacks). */
function anyOf(filter: SQL): SQL {
  return sql`(select coalesce(tsquery_or_all, ''::tsquery) from (select string_agg(any_text, ' | ') filter (where ${filter}) as text
    from words) a cross join lateral (select to_tsquery('simple', coalesce(a.text, '')) as tsquery_or_all) q)`;
}

const tableOf = (type: KnowledgeType) => (type === 'faq' ? sql`faq_entries` : sql`documents`);

/** The application's published items `actor` may read. */
const visible = (actor: Actor, question: RankedQuestion) =>
  sql`x.published and ${readableBy(actor, sql`x.audience`)} and x.application_id = ${question.applicationId}`;

/**
 * Those with any of the subject's words (through the search index), the only ones that may be
 * suggested; for a word most items have, only the first by `ts_rank_cd` (title weighted most), so
 * that the finer score is computed for a bounded number of items.
 */
function pool(actor: Actor, question: RankedQuestion, type: KnowledgeType): SQL {
  return sql`(select ${type}::text as type, x.id, x.theme_id, x.search from ${tableOf(type)} x, wanted w
    where x.search @@ w.subject and ${visible(actor, question)}
    order by ts_rank_cd('{0.1, 0.2, 0.6, 1.0}', x.search, w.subject) desc, x.id limit ${num(CANDIDATES)})`;
}

/** How many of the application's items `actor` may read (with a word, through the search index): a word's rarity. */
const countOf = (actor: Actor, question: RankedQuestion, type: KnowledgeType, having: SQL = sql`true`) =>
  sql`(select count(*)::float8 from ${tableOf(type)} x where ${having} and ${visible(actor, question)})`;

/** The highlighted excerpt: only the words that count (neither generic nor negated) are marked. */
function excerpt(): SQL {
  const q = sql`(select any_term from wanted)`;
  const faqText = plainMarkdown(sql`f.body`);
  const docText = sql`d.summary || ' ' || left(d.file_text, ${EXCERPT_FILE_CHARS})`;
  return sql`case when h.type = 'faq' then ${headline(faqText, q)} else ${headline(docText, q)} end`;
}

function toHit(r: Row): KnowledgeHit {
  const hit: KnowledgeHit = {
    type: r.type,
    id: Number(r.id),
    title: r.title,
    excerpt: r.excerpt ?? '',
    url: r.type === 'faq' ? faqUrl(Number(r.number)) : documentUrl(Number(r.id)),
    applicationName: null,
    themeName: null,
    rank: Number(r.score),
  };
  if (r.type === 'faq') hit.number = Number(r.number);
  if (r.media_type) hit.format = formatLabel(r.media_type);
  if (r.size_bytes !== null && r.size_bytes !== undefined) hit.sizeBytes = Number(r.size_bytes);
  return hit;
}
