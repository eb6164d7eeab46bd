/**
 * « Réponses types »: texts administrators prepare, per application or for all of them, that
 * agents insert into an answer. Variables are replaced by the request's values on insertion.
 */
import { and, asc, eq, isNull, ne, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Executor, Tx } from '../../db/client.js';
import { applications, cannedAnswers } from '../../db/schema.js';
import { audit } from '../audit/audit.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { fieldErrors, isSerialId } from '../validation.js';

export type CannedAnswer = typeof cannedAnswers.$inferSelect & { applicationName: string | null };

/** What an agent may insert: the title to choose and the text, variables already replaced. */
export type CannedAnswerOption = { id: number; title: string; body: string };

export const CANNED_VARIABLES = ['{{numero}}', '{{objet}}', '{{demandeur}}'] as const;

const schema = z.object({
  title: z.string().trim().min(1, 'Le titre est obligatoire.').max(120, '120 caractères au plus.'),
  applicationId: z
    .string()
    .trim()
    .transform((v, ctx) => {
      if (v === '') return null;
      const id = Number(v);
      if (!isSerialId(id)) {
        ctx.addIssue({ code: 'custom', message: 'Choisissez une application de la liste.' });
        return z.NEVER;
      }
      return id;
    }),
  body: z.string().trim().min(1, 'Le texte de la réponse est obligatoire.').max(10_000, '10 000 caractères au plus.'),
});

export type CannedAnswerInput = z.infer<typeof schema>;

/** Every canned answer, general ones first, then by application and title. */
export async function listCannedAnswers(db: Executor): Promise<CannedAnswer[]> {
  const rows = await db
    .select({ c: cannedAnswers, applicationName: applications.name })
    .from(cannedAnswers)
    .leftJoin(applications, eq(applications.id, cannedAnswers.applicationId))
    .orderBy(sql`${applications.name} nulls first`, asc(cannedAnswers.title));
  return rows.map((r) => ({ ...r.c, applicationName: r.applicationName }));
}

export async function getCannedAnswer(db: Executor, id: number): Promise<CannedAnswer> {
  if (!isSerialId(id)) throw new NotFoundError();
  const [row] = await db
    .select({ c: cannedAnswers, applicationName: applications.name })
    .from(cannedAnswers)
    .leftJoin(applications, eq(applications.id, cannedAnswers.applicationId))
    .where(eq(cannedAnswers.id, id));
  if (!row) throw new NotFoundError();
  return { ...row.c, applicationName: row.applicationName };
}

/** Validates and saves a canned answer (new when `id` is null); errors keyed by field. */
export async function saveCannedAnswer(
  tx: Tx,
  who: { actorId: number; ip?: string },
  id: number | null,
  raw: Record<string, unknown>,
): Promise<number> {
  const parsed = schema.safeParse({
    title: String(raw.title ?? ''),
    applicationId: String(raw.applicationId ?? ''),
    body: String(raw.body ?? ''),
  });
  if (!parsed.success) throw new ValidationError(fieldErrors(parsed.error));
  const input = parsed.data;
  await checkApplication(tx, input.applicationId);
  await checkUniqueTitle(tx, input, id);
  const saved =
    id === null
      ? await tx.insert(cannedAnswers).values(input).returning({ id: cannedAnswers.id })
      : await tx
          .update(cannedAnswers)
          .set({ ...input, updatedAt: new Date() })
          .where(eq(cannedAnswers.id, id))
          .returning({ id: cannedAnswers.id });
  const row = saved[0];
  if (!row) throw new NotFoundError();
  await audit(tx, {
    action: id === null ? 'canned_answer.create' : 'canned_answer.update',
    actorId: who.actorId,
    ip: who.ip,
    target: `canned_answer:${row.id}`,
    details: { title: input.title, applicationId: input.applicationId },
  });
  return row.id;
}

/** « Désactiver » / « Réactiver »: a deactivated answer is no longer offered to agents. */
export async function setCannedAnswerActive(tx: Tx, who: { actorId: number; ip?: string }, id: number, active: boolean) {
  if (!isSerialId(id)) throw new NotFoundError();
  const rows = await tx
    .update(cannedAnswers)
    .set({ active, updatedAt: new Date() })
    .where(eq(cannedAnswers.id, id))
    .returning({ id: cannedAnswers.id });
  if (rows.length === 0) throw new NotFoundError();
  await audit(tx, {
    action: active ? 'canned_answer.activate' : 'canned_answer.deactivate',
    actorId: who.actorId,
    ip: who.ip,
    target: `canned_answer:${id}`,
  });
}

async function checkApplication(tx: Tx, applicationId: number | null) {
  if (applicationId === null) return;
  const [app] = await tx.select({ id: applications.id }).from(applications).where(eq(applications.id, applicationId));
  if (!app) throw new ValidationError({ applicationId: 'Choisissez une application de la liste.' });
}

/** One title per application (and one among the general answers, which the unique index cannot see: NULLs differ). */
async function checkUniqueTitle(tx: Tx, input: CannedAnswerInput, id: number | null) {
  const sameApplication =
    input.applicationId === null ? isNull(cannedAnswers.applicationId) : eq(cannedAnswers.applicationId, input.applicationId);
  const [other] = await tx
    .select({ id: cannedAnswers.id })
    .from(cannedAnswers)
    .where(
      and(sameApplication, sql`lower(${cannedAnswers.title}) = lower(${input.title})`, id ? ne(cannedAnswers.id, id) : undefined),
    )
    .for('update');
  if (other) throw new ValidationError({ title: 'Une réponse type porte déjà ce titre pour cette application.' });
}

/** The values a canned answer's variables take for one request. */
export type CannedValues = { number: number; subject: string; requesterName: string };

export function fillCannedAnswer(body: string, values: CannedValues): string {
  const map: Record<string, string> = {
    numero: String(values.number),
    objet: values.subject,
    demandeur: values.requesterName,
  };
  return body.replace(/\{\{\s*(numero|objet|demandeur)\s*\}\}/g, (_, name: string) => map[name] ?? '');
}

/** The active answers an agent may insert into a request of `applicationId`: its own and the general ones. */
export async function cannedAnswersFor(
  db: Executor,
  request: CannedValues & { applicationId: number },
): Promise<CannedAnswerOption[]> {
  const rows = await db
    .select({ id: cannedAnswers.id, title: cannedAnswers.title, body: cannedAnswers.body })
    .from(cannedAnswers)
    .where(
      and(
        eq(cannedAnswers.active, true),
        or(isNull(cannedAnswers.applicationId), eq(cannedAnswers.applicationId, request.applicationId)),
      ),
    )
    .orderBy(asc(cannedAnswers.title));
  return rows.map((r) => ({ ...r, body: fillCannedAnswer(r.body, request) }));
}
