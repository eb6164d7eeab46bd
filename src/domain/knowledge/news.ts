/**
 * « Actualité »: news items with a publication window. The home page shows the current ones
 * (published, the window open now, readable by the visitor); /actualites lists current and past
 * ones. Editors write them; each change is one transaction with its audit line.
 */
import { TZDate } from '@date-fns/tz';
import { addDays } from 'date-fns/addDays';
import { format } from 'date-fns/format';
import { and, desc, eq, gt, isNull, lte, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Executor, Tx } from '../../db/client.js';
import { news } from '../../db/schema.js';
import type { Actor } from '../actor.js';
import { audit } from '../audit/audit.js';
import { now } from '../clock.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { fieldErrors, isSerialId } from '../validation.js';
import type { Audience } from '../vocabulary.js';
import type { Who } from './faq-editing.js';
import { AUDIENCES, readableBy } from './policy.js';

const ZONE = 'Europe/Paris';

export type NewsItem = {
  id: number;
  title: string;
  body: string;
  startsAt: Date;
  endsAt: Date | null;
};

/** Midnight in Paris of a « 2026-11-29 » day. */
export function parisDay(day: string): Date {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(new TZDate(y, m - 1, d, ZONE).getTime());
}

/** The « 2026-11-29 » Paris day of an instant. */
export const dayOf = (date: Date) => format(new TZDate(date, ZONE), 'yyyy-MM-dd');

/** A window ends at the end of its last day: stored as the next midnight (exclusive). */
export const lastDayOf = (endsAt: Date) => dayOf(new Date(endsAt.getTime() - 1));

const day = (message: string) =>
  z
    .string()
    .trim()
    .refine((v) => v === '' || (/^\d{4}-\d{2}-\d{2}$/.test(v) && dayOf(parisDay(v)) === v), message);

const schema = z
  .object({
    title: z.string().trim().min(1, 'Le titre est obligatoire.').max(200, '200 caractères au plus.'),
    body: z.string().trim().min(1, 'Le texte est obligatoire.').max(20_000, '20 000 caractères au plus.'),
    startsOn: day('Date invalide. Format attendu : JJ/MM/AAAA.').refine((v) => v !== '', 'La date de début est obligatoire.'),
    endsOn: day('Date invalide. Format attendu : JJ/MM/AAAA.'),
    audience: z.enum(AUDIENCES as [Audience, ...Audience[]], { message: 'Choisissez qui peut lire cette actualité.' }),
  })
  .refine((v) => v.endsOn === '' || v.startsOn === '' || v.endsOn >= v.startsOn, {
    path: ['endsOn'],
    message: 'La date de fin ne peut pas précéder la date de début.',
  });

export type NewsFields = { title: string; body: string; startsOn: string; endsOn: string; audience: string };
export const NEWS_FIELDS: (keyof NewsFields)[] = ['title', 'body', 'startsOn', 'endsOn', 'audience'];

const visible = (actor: Actor | null) => and(eq(news.published, true), readableBy(actor, news.audience));
const started = (at: Date) => lte(news.startsAt, at);
const notEnded = (at: Date) => or(isNull(news.endsAt), gt(news.endsAt, at));

const itemColumns = { id: news.id, title: news.title, body: news.body, startsAt: news.startsAt, endsAt: news.endsAt };

/** The news the home page shows now to this visitor, newest first. */
export async function currentNews(db: Executor, actor: Actor | null, at = now()): Promise<NewsItem[]> {
  const rows = await db
    .select(itemColumns)
    .from(news)
    .where(and(visible(actor), started(at), notEnded(at)))
    .orderBy(desc(news.startsAt), desc(news.id));
  return rows as NewsItem[];
}

/** Current and past news (never those still to come), newest first; `current` tells them apart. */
export async function newsArchive(db: Executor, actor: Actor | null, at = now(), limit = 100) {
  const rows = await db
    .select({ ...itemColumns, current: sql<boolean>`(${news.endsAt} is null or ${news.endsAt} > ${at})` })
    .from(news)
    .where(and(visible(actor), started(at)))
    .orderBy(desc(news.startsAt), desc(news.id))
    .limit(limit);
  return rows as (NewsItem & { current: boolean })[];
}

/** Validates and saves a news item (a new draft when `id` is null); errors keyed by field. */
export async function saveNews(tx: Tx, who: Who, id: number | null, raw: NewsFields): Promise<number> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new ValidationError(fieldErrors(parsed.error));
  const input = parsed.data;
  const values = {
    title: input.title,
    body: input.body,
    startsAt: parisDay(input.startsOn),
    endsAt: input.endsOn ? parisDay(dayOf(addDays(new TZDate(parisDay(input.endsOn), ZONE), 1))) : null,
    // The older column the guide's « Le 17/01/2019 » came from; kept in step with the window.
    publishedOn: input.startsOn,
    audience: input.audience,
    updatedAt: now(),
    updatedBy: who.actorId,
  };
  const [row] =
    id === null
      ? await tx
          .insert(news)
          .values({ ...values, published: false })
          .returning({ id: news.id })
      : await tx.update(news).set(values).where(eq(news.id, id)).returning({ id: news.id });
  if (!row) throw new NotFoundError();
  await audit(tx, {
    action: id === null ? 'news.create' : 'news.update',
    actorId: who.actorId,
    ip: who.ip,
    target: `news:${row.id}`,
    details: { title: input.title, startsOn: input.startsOn, endsOn: input.endsOn || null, audience: input.audience },
  });
  return row.id;
}

export async function setNewsPublished(tx: Tx, who: Who, id: number, published: boolean): Promise<void> {
  if (!isSerialId(id)) throw new NotFoundError();
  const rows = await tx
    .update(news)
    .set({ published, updatedAt: now(), updatedBy: who.actorId })
    .where(eq(news.id, id))
    .returning({ id: news.id });
  if (rows.length === 0) throw new NotFoundError();
  await audit(tx, {
    action: published ? 'news.publish' : 'news.unpublish',
    actorId: who.actorId,
    ip: who.ip,
    target: `news:${id}`,
  });
}

export type NewsRow = typeof news.$inferSelect;

/** Every news item for editors: drafts first, then newest first. */
export async function listNewsForEditing(db: Executor): Promise<NewsRow[]> {
  return db.select().from(news).orderBy(news.published, sql`${news.startsAt} desc nulls last`, desc(news.id));
}

export async function getNews(db: Executor, id: number): Promise<NewsRow> {
  if (!isSerialId(id)) throw new NotFoundError();
  const [row] = await db.select().from(news).where(eq(news.id, id));
  if (!row) throw new NotFoundError();
  return row;
}

export const newsFieldsOf = (item: NewsRow): NewsFields => ({
  title: item.title,
  body: item.body,
  startsOn: item.startsAt ? dayOf(item.startsAt) : item.publishedOn,
  endsOn: item.endsAt ? lastDayOf(item.endsAt) : '',
  audience: item.audience,
});
