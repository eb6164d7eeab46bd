/**
 * Writing the FAQ: editors create and change entries (drafts until published), publish and
 * unpublish them. Each change is one transaction with its audit line. Who may call these is
 * decided by `canEdit` at the surface.
 */
import { and, desc, eq, inArray, ne, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Executor, Tx } from '../../db/client.js';
import { applications, documents, faqDocuments, faqEntries, requests, themes } from '../../db/schema.js';
import { audit } from '../audit/audit.js';
import { now } from '../clock.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { fieldErrors, isSerialId } from '../validation.js';
import type { Audience } from '../vocabulary.js';
import { AUDIENCES } from './policy.js';

export type Who = { actorId: number; ip?: string };

const id = (message: string) =>
  z
    .string()
    .trim()
    .transform((v, ctx) => {
      if (v === '') return null;
      const n = Number(v);
      if (!isSerialId(n)) {
        ctx.addIssue({ code: 'custom', message });
        return z.NEVER;
      }
      return n;
    });

const schema = z.object({
  number: z
    .string()
    .trim()
    .refine(
      (v) => v === '' || (/^\d{1,6}$/.test(v) && Number(v) > 0),
      'Le numéro est un nombre entier positif (6 chiffres au plus).',
    )
    .transform((v) => (v === '' ? null : Number(v))),
  title: z.string().trim().min(1, 'Le titre est obligatoire.').max(300, '300 caractères au plus.'),
  body: z.string().trim().min(1, 'La réponse est obligatoire.').max(50_000, '50 000 caractères au plus.'),
  applicationId: id('Choisissez une application de la liste.').refine((v) => v !== null, 'Choisissez une application.'),
  themeId: id('Choisissez un thème de la liste.'),
  audience: z.enum(AUDIENCES as [Audience, ...Audience[]], { message: 'Choisissez qui peut lire cette réponse.' }),
  documentIds: z
    .string()
    .trim()
    .transform((v) => [...new Set(v.split(',').filter(Boolean).map(Number))])
    .refine((ids) => ids.every(isSerialId) && ids.length <= 50, 'Choisissez des documents de la liste.'),
});

export type FaqInput = z.infer<typeof schema>;
/** The form's fields, as typed. */
export type FaqFields = Record<keyof FaqInput, string>;

export const FAQ_FIELDS: (keyof FaqInput)[] = ['number', 'title', 'body', 'applicationId', 'themeId', 'audience', 'documentIds'];

/** The number an entry gets when none is typed: the next after the highest. */
export async function nextFaqNumber(db: Executor): Promise<number> {
  const [row] = await db.select({ max: sql<number>`coalesce(max(${faqEntries.number}), 0)`.mapWith(Number) }).from(faqEntries);
  return (row?.max ?? 0) + 1;
}

/** Validates and saves an entry (a new draft when `id` is null); errors keyed by field. Returns its id. */
export async function saveFaq(tx: Tx, who: Who, id: number | null, raw: FaqFields): Promise<number> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new ValidationError(fieldErrors(parsed.error));
  const input = parsed.data;
  await checkReferences(tx, input);
  // Serializes numbering: two editors creating at once do not get the same number.
  await tx.execute(sql`select pg_advisory_xact_lock(727002)`);
  const number = input.number ?? (id === null ? await nextFaqNumber(tx) : await currentNumber(tx, id));
  await checkNumberFree(tx, number, id);
  const values = {
    number,
    title: input.title,
    body: input.body,
    applicationId: input.applicationId,
    themeId: input.themeId,
    audience: input.audience,
    updatedBy: who.actorId,
    updatedAt: now(),
  };
  const [row] =
    id === null
      ? await tx
          .insert(faqEntries)
          .values({ ...values, published: false })
          .returning({ id: faqEntries.id })
      : await tx.update(faqEntries).set(values).where(eq(faqEntries.id, id)).returning({ id: faqEntries.id });
  if (!row) throw new NotFoundError();
  await tx.delete(faqDocuments).where(eq(faqDocuments.faqEntryId, row.id));
  if (input.documentIds.length) {
    await tx.insert(faqDocuments).values(input.documentIds.map((documentId) => ({ faqEntryId: row.id, documentId })));
  }
  await audit(tx, {
    action: id === null ? 'faq.create' : 'faq.update',
    actorId: who.actorId,
    ip: who.ip,
    target: `faq:${row.id}`,
    details: { number, title: input.title, audience: input.audience, documentIds: input.documentIds },
  });
  return row.id;
}

/** « Publier » / « Dépublier ». A publication dates the entry (it then heads « Dernières réponses »). */
export async function setFaqPublished(tx: Tx, who: Who, id: number, published: boolean): Promise<void> {
  if (!isSerialId(id)) throw new NotFoundError();
  const [row] = await tx
    .update(faqEntries)
    .set(
      published
        ? { published, publishedAt: now(), updatedAt: now(), updatedBy: who.actorId }
        : { published, updatedAt: now(), updatedBy: who.actorId },
    )
    .where(eq(faqEntries.id, id))
    .returning({ number: faqEntries.number });
  if (!row) throw new NotFoundError();
  await audit(tx, {
    action: published ? 'faq.publish' : 'faq.unpublish',
    actorId: who.actorId,
    ip: who.ip,
    target: `faq:${id}`,
    details: { number: row.number },
  });
}

async function checkReferences(tx: Tx, input: FaqInput) {
  const errors: Record<string, string> = {};
  const [app] =
    input.applicationId === null
      ? []
      : await tx.select({ id: applications.id }).from(applications).where(eq(applications.id, input.applicationId));
  if (!app) errors.applicationId = 'Choisissez une application de la liste.';
  if (input.themeId !== null) {
    const [theme] = await tx.select({ applicationId: themes.applicationId }).from(themes).where(eq(themes.id, input.themeId));
    if (!theme) errors.themeId = 'Choisissez un thème de la liste.';
    else if (theme.applicationId !== input.applicationId)
      errors.themeId = 'Ce thème n’est pas un thème de l’application choisie.';
  }
  if (input.documentIds.length) {
    const found = await tx
      .select({ id: documents.id })
      .from(documents)
      .where(and(inArray(documents.id, input.documentIds), eq(documents.published, true)));
    if (found.length !== input.documentIds.length) errors.documentIds = 'Choisissez des documents publiés de la liste.';
  }
  if (Object.keys(errors).length) throw new ValidationError(errors);
}

/** An edited entry whose number was emptied keeps its number. */
async function currentNumber(tx: Tx, id: number): Promise<number> {
  const [row] = await tx.select({ number: faqEntries.number }).from(faqEntries).where(eq(faqEntries.id, id));
  if (!row) throw new NotFoundError();
  return row.number;
}

async function checkNumberFree(tx: Tx, number: number, id: number | null) {
  const [other] = await tx
    .select({ id: faqEntries.id, title: faqEntries.title })
    .from(faqEntries)
    .where(and(eq(faqEntries.number, number), id === null ? undefined : ne(faqEntries.id, id)));
  if (other) throw new ValidationError({ number: `Le numéro ${number} est déjà pris par « ${other.title} ».` });
}

export type FaqDraftRow = {
  id: number;
  number: number;
  title: string;
  published: boolean;
  audience: Audience;
  applicationName: string | null;
  updatedAt: Date;
};

/** Every entry for editors: drafts first, then by number, newest first. */
export async function listFaqForEditing(db: Executor): Promise<FaqDraftRow[]> {
  return db
    .select({
      id: faqEntries.id,
      number: faqEntries.number,
      title: faqEntries.title,
      published: faqEntries.published,
      audience: faqEntries.audience,
      applicationName: applications.name,
      updatedAt: faqEntries.updatedAt,
    })
    .from(faqEntries)
    .leftJoin(applications, eq(applications.id, faqEntries.applicationId))
    .orderBy(faqEntries.published, desc(faqEntries.number));
}

/** The few entries the « Rédaction » index shows: drafts first, then the last changed. */
export async function recentFaqForEditing(db: Executor, limit = 5) {
  return db
    .select({
      id: faqEntries.id,
      number: faqEntries.number,
      title: faqEntries.title,
      published: faqEntries.published,
      updatedAt: faqEntries.updatedAt,
    })
    .from(faqEntries)
    .orderBy(faqEntries.published, desc(faqEntries.updatedAt))
    .limit(limit);
}

export type FaqForEditing = typeof faqEntries.$inferSelect & { documentIds: number[]; sourceRequestNumber: number | null };

export async function getFaqForEditing(db: Executor, id: number): Promise<FaqForEditing> {
  if (!isSerialId(id)) throw new NotFoundError();
  const [row] = await db
    .select({ faq: faqEntries, sourceRequestNumber: requests.number })
    .from(faqEntries)
    .leftJoin(requests, eq(requests.id, faqEntries.sourceRequestId))
    .where(eq(faqEntries.id, id));
  if (!row) throw new NotFoundError();
  const docs = await db.select({ id: faqDocuments.documentId }).from(faqDocuments).where(eq(faqDocuments.faqEntryId, id));
  return { ...row.faq, documentIds: docs.map((d) => d.id), sourceRequestNumber: row.sourceRequestNumber };
}

/** The form's values of a saved entry. */
export const faqFieldsOf = (faq: FaqForEditing): FaqFields => ({
  number: String(faq.number),
  title: faq.title,
  body: faq.body,
  applicationId: String(faq.applicationId ?? ''),
  themeId: String(faq.themeId ?? ''),
  audience: faq.audience,
  documentIds: faq.documentIds.join(','),
});

/** Published documents an entry may point to, for the editor's choice. */
export async function documentChoices(db: Executor) {
  return db
    .select({ id: documents.id, title: documents.title, applicationName: applications.name })
    .from(documents)
    .leftJoin(applications, eq(applications.id, documents.applicationId))
    .where(eq(documents.published, true))
    .orderBy(documents.title);
}
