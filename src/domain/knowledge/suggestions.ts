/**
 * Suggestions before filing: while a requester describes their problem, the FAQ entries and
 * documents that may answer it. What was shown, what was opened and whether a request was filed
 * afterwards are recorded for the statistics, keyed by the form's one-time token.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { applications, documents, faqEntries, knowledgeSuggestions } from '../../db/schema.js';
import type { Actor } from '../actor.js';
import { FORM_TOKEN } from '../attachments/staging.js';
import { documentUrl, faqUrl, type KnowledgeHit } from '../search/knowledge-search.js';
import { nameWords, questionWords } from '../search/question-words.js';
import { rankSuggestions } from '../search/suggestion-search.js';
import { isSerialId } from '../validation.js';
import { canRead, readableBy } from './policy.js';

export const MAX_SUGGESTIONS = 3;
/** Fewer letters or digits than this say too little to suggest anything. */
const MIN_SIGNIFICANT_CHARS = 3;
const MAX_SUBJECT_WORDS = 12;
/** The description's beginning says what it is about; the rest would only add noise (and work). */
const MAX_DESCRIPTION_WORDS = 40;

export type Suggestion = Pick<KnowledgeHit, 'type' | 'id' | 'number' | 'title' | 'excerpt' | 'format' | 'sizeBytes'>;
export type SuggestionQuery = {
  subject: string;
  applicationId: number | null;
  description?: string;
  themeId?: number | null;
};

/** Whether a subject says enough to look for answers. */
export function isSignificant(subject: string): boolean {
  return (subject.match(/[\p{L}\p{N}]/gu) ?? []).length >= MIN_SIGNIFICANT_CHARS;
}

/** The words of an application's name and code: every item of the application has them. */
async function applicationWords(db: Executor, applicationId: number): Promise<Set<string>> {
  const [app] = await db
    .select({ name: applications.name, code: applications.code })
    .from(applications)
    .where(eq(applications.id, applicationId));
  return app ? nameWords(`${app.name} ${app.code.replace(/_/g, ' ')}`) : new Set();
}

/**
 * The best published FAQ entries and documents of the application for a request being written,
 * readable by `actor`: ranked on the subject first, then the description and the theme; none
 * when nothing is relevant enough.
 */
export async function suggestionsFor(db: Executor, actor: Actor, query: SuggestionQuery): Promise<Suggestion[]> {
  if (!isSignificant(query.subject) || query.applicationId === null || !isSerialId(query.applicationId)) return [];
  const ignored = await applicationWords(db, query.applicationId);
  const subject = questionWords(query.subject, MAX_SUBJECT_WORDS, ignored);
  if (subject.words.length === 0) return [];
  const description = questionWords(query.description ?? '', MAX_DESCRIPTION_WORDS, ignored);
  const themeId = query.themeId != null && isSerialId(query.themeId) ? query.themeId : null;
  const hits = await rankSuggestions(db, actor, {
    subjectWords: subject.words,
    typedWord: subject.endsWithWord ? (subject.words.at(-1) ?? null) : null,
    descriptionWords: description.words,
    applicationId: query.applicationId,
    themeId,
    limit: MAX_SUGGESTIONS,
  });
  return hits.map(({ type, id, number, title, excerpt, format, sizeBytes }) => ({
    type,
    id,
    number,
    title,
    excerpt,
    format,
    sizeBytes,
  }));
}

const validToken = (token: string | undefined): token is string => typeof token === 'string' && FORM_TOKEN.test(token);

/** Records the suggestions shown with a form, each once per form. */
export async function recordShown(
  db: Executor,
  actor: Actor,
  token: string | undefined,
  query: SuggestionQuery,
  items: Suggestion[],
): Promise<void> {
  if (!validToken(token) || items.length === 0) return;
  await db
    .insert(knowledgeSuggestions)
    .values(
      items.map((item) => ({
        formToken: token,
        userId: actor.id,
        kind: 'shown' as const,
        itemType: item.type,
        itemId: item.id,
        query: query.subject.slice(0, 200),
        applicationId: query.applicationId,
      })),
    )
    .onConflictDoNothing();
}

/**
 * Whether suggestions were already shown with this form. By token alone: a form replayed by
 * someone else goes on to the filing, which refuses it, rather than to the suggestions again.
 */
export async function wereShown(db: Executor, token: string): Promise<boolean> {
  if (!validToken(token)) return false;
  const [row] = await db
    .select({ id: knowledgeSuggestions.id })
    .from(knowledgeSuggestions)
    .where(and(eq(knowledgeSuggestions.formToken, token), eq(knowledgeSuggestions.kind, 'shown')))
    .limit(1);
  return row !== undefined;
}

/**
 * Records that a request was filed with a form whose suggestions were shown (once per form:
 * a replayed form records nothing more).
 */
export async function recordFiled(db: Executor, actor: Actor, token: string, requestId: number): Promise<void> {
  if (!validToken(token)) return;
  await db.execute(sql`
    insert into knowledge_suggestions (form_token, user_id, kind, request_id)
    select ${token}, ${actor.id}, 'filed', ${requestId}
    where exists (select 1 from knowledge_suggestions where form_token = ${token} and user_id = ${actor.id} and kind = 'shown')
    on conflict do nothing`);
}

export type OpenedItem = { type: 'faq' | 'document'; id: number };

/**
 * The address of a suggested item `actor` may read, or null: only our own item pages, built here
 * from the item (never from an address sent by the browser).
 */
export async function suggestedItemUrl(db: Executor, actor: Actor, item: OpenedItem): Promise<string | null> {
  if (!isSerialId(item.id)) return null;
  if (item.type === 'faq') {
    const [row] = await db
      .select({ number: faqEntries.number, audience: faqEntries.audience })
      .from(faqEntries)
      .where(and(eq(faqEntries.id, item.id), eq(faqEntries.published, true), readableBy(actor, faqEntries.audience)));
    return row && canRead(actor, row.audience) ? faqUrl(row.number) : null;
  }
  const [row] = await db
    .select({ id: documents.id })
    .from(documents)
    .where(and(eq(documents.id, item.id), eq(documents.published, true), readableBy(actor, documents.audience)));
  return row ? documentUrl(row.id) : null;
}

/** Records a suggestion opened from a form (only with a well-formed token). */
export async function recordOpened(db: Executor, actor: Actor, token: string | undefined, item: OpenedItem): Promise<void> {
  if (!validToken(token)) return;
  await db
    .insert(knowledgeSuggestions)
    .values({ formToken: token, userId: actor.id, kind: 'opened', itemType: item.type, itemId: item.id });
}
