import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../../db/client.js';
import { requests, users } from '../../../db/schema.js';
import type { Actor } from '../../actor.js';
import { now } from '../../clock.js';
import { ConflictError, ForbiddenError } from '../../errors.js';
import { type MailContext, notifyFiled } from '../../notifications/request-notifications.js';
import { isSerialId } from '../../validation.js';
import type { Channel } from '../../vocabulary.js';
import type { NewRequestInput, OnBehalf } from '../input.js';
import { canFile } from '../policy.js';
import { appendEvent, attachStaged, insertRequest } from '../repository.js';
import { dueDatesAtFiling } from '../service-level.js';

export type FileRequestOptions = MailContext & {
  /** One-time token of the form: a second submission with it returns the first request. */
  submissionToken: string;
  /** Files already sent with this form (staged under its token). */
  stagingToken?: string;
  /** The desk files for a caller: the caller's account (by default, the actor files for themselves). */
  requesterId?: number;
  /** How the request came in; the portal by default. */
  channel?: Channel;
  /** A regional user's request « pour le compte de » a local-unit agent. */
  onBehalf?: OnBehalf | null;
};

/**
 * Files a new request: the request, its « Créée par » event, the staged files and the
 * receipt e-mail (to the requester, also when the desk files for them) are written together.
 * A replayed submission returns the request it created.
 */
export async function fileRequest(
  tx: Tx,
  actor: Actor,
  input: NewRequestInput,
  options: FileRequestOptions,
): Promise<{ id: number; number: number; created: boolean }> {
  const channel = options.channel ?? 'portail';
  const onBehalf = options.onBehalf ?? null;
  const requester = await requesterOf(tx, options.requesterId ?? actor.id);
  if (!requester || !canFile(actor, { requester, channel, onBehalf: onBehalf !== null })) throw new ForbiddenError();
  const existing = await filedWith(tx, actor, options.submissionToken);
  if (existing) return { ...existing, created: false };

  // Filed at the portal's clock, as its due dates are counted from.
  const at = now();
  const request = await insertRequest(tx, {
    ...input,
    ...(await dueDatesAtFiling(tx, input.blocking, at)),
    createdAt: at,
    updatedAt: at,
    requesterId: requester.id,
    createdById: actor.id,
    structureId: requester.structureId,
    channel,
    onBehalfName: onBehalf?.name ?? null,
    onBehalfEmail: onBehalf?.email ?? null,
    onBehalfCopy: onBehalf?.copy ?? false,
    submissionToken: options.submissionToken,
  });
  if (!request) {
    const first = await filedWith(tx, actor, options.submissionToken);
    if (first) return { ...first, created: false };
    throw new ConflictError('Ce formulaire a déjà été envoyé. Rechargez la page pour déposer une nouvelle demande.');
  }
  const event = await appendEvent(tx, request.id, { kind: 'created', actorId: actor.id, toStatus: 'new', at });
  if (options.stagingToken) await attachStaged(tx, actor.id, request.id, event.id, options.stagingToken);
  await notifyFiled(tx, request, options);
  return { id: request.id, number: request.number, created: true };
}

/** The request this person already filed with this form token, if any. */
async function filedWith(tx: Tx, actor: Actor, submissionToken: string) {
  const [row] = await tx
    .select({ id: requests.id, number: requests.number })
    .from(requests)
    .where(and(eq(requests.submissionToken, submissionToken), eq(requests.createdById, actor.id)));
  return row ?? null;
}

async function requesterOf(tx: Tx, id: number) {
  if (!isSerialId(id)) return null;
  const [row] = await tx
    .select({
      id: users.id,
      role: users.role,
      active: users.active,
      requesterKind: users.requesterKind,
      structureId: users.structureId,
    })
    .from(users)
    .where(eq(users.id, id));
  return row ? { ...row, requesterKind: row.requesterKind ?? null } : null;
}
