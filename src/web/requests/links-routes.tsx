/**
 * « Demandes liées »: the desk links two requests or removes their link, from the request page.
 */
import { transaction } from '../../db/client.js';
import { ValidationError } from '../../domain/errors.js';
import { LINK_FIELD, linkRequests, unlinkRequests } from '../../domain/requests/links.js';
import { actorOf, requireArea } from '../plugins/actor-gate.js';
import { form, numberParams, text, type ZodApp } from '../shared/schemas.js';
import type { ShowRequest } from './request-form-errors.js';

export async function linkRoutes(app: ZodApp, show: ShowRequest) {
  const { db } = app.deps;
  const gate = { preValidation: requireArea('desk') };

  const linkSchema = { params: numberParams, body: form({ [LINK_FIELD]: text }) };
  app.post('/demandes/:number/liens', { ...gate, schema: linkSchema }, async (request, reply) => {
    const { number } = request.params;
    const typed = (request.body[LINK_FIELD] ?? '').slice(0, 40);
    try {
      await transaction(db, (tx) => linkRequests(tx, actorOf(request), number, typed));
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return show(
        request,
        reply,
        number,
        { action: 'link', form: { values: { [LINK_FIELD]: typed }, errors: error.fields } },
        422,
      );
    }
    return reply.redirect(`/demandes/${number}?fait=1`, 303);
  });

  const unlinkSchema = { params: numberParams, body: form({ number: text }) };
  app.post('/demandes/:number/liens/retirer', { ...gate, schema: unlinkSchema }, async (request, reply) => {
    const { number } = request.params;
    await transaction(db, (tx) => unlinkRequests(tx, actorOf(request), number, request.body.number));
    return reply.redirect(`/demandes/${number}?fait=1`, 303);
  });
}
