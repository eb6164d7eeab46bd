import { z } from 'zod';
import type { Tx } from '../../../db/client.js';
import type { Actor } from '../../actor.js';
import { now } from '../../clock.js';
import { NotFoundError, TransitionError, ValidationError } from '../../errors.js';
import { getSettings, type Settings } from '../../settings/settings.js';
import { fieldErrors } from '../../validation.js';
import type { RequestStatus } from '../../vocabulary.js';
import { appendEvent, lockVisible, updateFacts } from '../repository.js';

export const RATINGS = [1, 2, 3, 4, 5] as const;

export const RATING_LABELS: Record<number, string> = {
  1: 'Pas du tout satisfait',
  2: 'Peu satisfait',
  3: 'Moyennement satisfait',
  4: 'Satisfait',
  5: 'Très satisfait',
};

export const COMMENT_MAX = 1000;

const RATING_ERROR = 'Choisissez une note de 1 à 5.';

const surveySchema = z.object({
  rating: z
    .string({ error: RATING_ERROR })
    .regex(/^[1-5]$/, RATING_ERROR)
    .transform(Number),
  comment: z
    .string()
    .optional()
    .transform((v) => v?.replace(/\r\n/g, '\n').trim() ?? '')
    .refine((v) => v.length <= COMMENT_MAX, '1 000 caractères au plus : raccourcissez votre commentaire.'),
});

export type SurveyInput = { rating?: string; comment?: string };

/** Whether `actor` is asked for their opinion on this request now (the page shows the form). */
export function surveyOffered(
  actor: Actor | null,
  request: { status: RequestStatus; requesterId: number; satisfaction: unknown },
  settings: Pick<Settings, 'satisfactionSurvey'>,
): boolean {
  return (
    settings.satisfactionSurvey === true &&
    actor?.role === 'requester' &&
    request.requesterId === actor.id &&
    request.status === 'closed' &&
    request.satisfaction === null
  );
}

/** The history text of an answer (staff read it there). */
export const surveyText = (rating: number, comment: string) =>
  `Avis du demandeur : ${rating}/5 (${RATING_LABELS[rating]}).${comment ? `\nCommentaire : ${comment}` : ''}`;

/**
 * Records the requester's answer, in the caller's transaction. Someone else's request (or one not
 * visible) → NotFoundError; no survey to answer now → TransitionError; bad input → ValidationError.
 * An answer already given stays as it is: `recorded` is false (a double click is no error).
 */
export async function recordSatisfaction(
  tx: Tx,
  actor: Actor,
  number: number,
  input: SurveyInput,
): Promise<{ recorded: boolean }> {
  const settings = await getSettings(tx);
  const request = await lockVisible(tx, actor, number);
  // A colleague who sees the request through their structure does not answer for its requester.
  if (request.requesterId !== actor.id) throw new NotFoundError();
  if (request.satisfaction !== null) return { recorded: false };
  if (!surveyOffered(actor, request, settings)) {
    throw new TransitionError('Votre avis sur le traitement n’est demandé qu’une fois la demande clôturée.');
  }
  const parsed = surveySchema.safeParse(input);
  if (!parsed.success) throw new ValidationError(fieldErrors(parsed.error));
  const { rating, comment } = parsed.data;
  const at = now();
  const answer = { satisfaction: rating, satisfactionComment: comment || null, satisfactionAt: at };
  if (!(await updateFacts(tx, request.id, answer, 'satisfaction'))) return { recorded: false };
  // Staff-only event: the requester sees their answer in its own block; colleagues sharing the structure never do.
  await appendEvent(tx, request.id, {
    kind: 'satisfaction',
    actorId: actor.id,
    fromStatus: request.status,
    toStatus: request.status,
    body: surveyText(rating, comment),
    internal: true,
    at,
  });
  return { recorded: true };
}
