/**
 * « Demandes liées »: the desk links two requests or removes their link, from the request page.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { transaction } from '../../db/client.js';
import { ValidationError } from '../../domain/errors.js';
import { LINK_FIELD, linkRequests, unlinkRequests } from '../../domain/requests/links.js';
import { requireArea } from '../plugins/actor-gate.js';
import type { ActionFormState } from './request-form-errors.js';

type Params = { number: string };

/** Shows the request page again, with a refused form (the request routes' own renderer). */
export type ShowRequest = (
  request: FastifyRequest<{ Params: Params }>,
  reply: FastifyReply,
  failed?: ActionFormState,
  status?: number,
) => Promise<unknown>;

export async function linkRoutes(app: FastifyInstance, show: ShowRequest) {
  const { db } = app.deps;
  const gate = { preHandler: requireArea('desk') };

  app.post<{ Params: Params; Body: Record<string, string> }>('/demandes/:number/liens', gate, async (request, reply) => {
    const number = Number(request.params.number);
    if (!Number.isSafeInteger(number)) return reply.callNotFound();
    const typed = String(request.body?.[LINK_FIELD] ?? '').slice(0, 40);
    try {
      await transaction(db, (tx) => linkRequests(tx, request.actor!, number, typed));
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return show(request, reply, { action: 'link', form: { values: { [LINK_FIELD]: typed }, errors: error.fields } }, 422);
    }
    return reply.redirect(`/demandes/${number}?fait=1`, 303);
  });

  app.post<{ Params: Params; Body: Record<string, string> }>('/demandes/:number/liens/retirer', gate, async (request, reply) => {
    const number = Number(request.params.number);
    if (!Number.isSafeInteger(number)) return reply.callNotFound();
    await transaction(db, (tx) => unlinkRequests(tx, request.actor!, number, request.body?.number));
    return reply.redirect(`/demandes/${number}?fait=1`, 303);
  });
}
