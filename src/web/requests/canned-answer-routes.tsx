/**
 * « Insérer » a canned answer without JavaScript: the answer form comes back with the chosen text
 * added after what was typed. Nothing is saved; the agent still reads and sends the answer.
 */
import type { FastifyInstance } from 'fastify';
import { cannedAnswersFor } from '../../domain/canned-answers/canned-answers.js';
import { getRequestView } from '../../domain/requests/queries.js';
import { requireArea } from '../plugins/actor-gate.js';
import { CANNED_ACTIONS } from './canned-answer-picker.js';
import type { ShowRequest } from './links-routes.js';

type Params = { number: string };

export async function cannedAnswerInsertRoutes(app: FastifyInstance, show: ShowRequest) {
  const { db } = app.deps;

  app.post<{ Params: Params; Body: Record<string, string | undefined> }>(
    '/demandes/:number/reponse-type',
    { preHandler: requireArea('desk') },
    async (request, reply) => {
      const number = Number(request.params.number);
      const action = String(request.body?.insertInto ?? '') as (typeof CANNED_ACTIONS)[number];
      if (!Number.isSafeInteger(number) || !CANNED_ACTIONS.includes(action)) return reply.callNotFound();
      const view = await getRequestView(db, request.actor!, number);
      if (!view) return reply.callNotFound();
      if (!view.actions.includes(action)) return reply.redirect(`/demandes/${number}`, 303);
      const typed = String(request.body?.message ?? '').slice(0, 20_000);
      const chosenId = String(request.body?.cannedAnswerId ?? '');
      const chosen = (await cannedAnswersFor(db, view)).find((a) => String(a.id) === chosenId);
      if (!chosen) {
        const errors = { cannedAnswerId: 'Choisissez une réponse type dans la liste, puis « Insérer ».' };
        return show(request, reply, { action, form: { values: { message: typed }, errors } }, 422);
      }
      const message = typed.trim() ? `${typed.trimEnd()}\n\n${chosen.body}` : chosen.body;
      return show(request, reply, { action, form: { values: { message, cannedAnswerId: chosenId }, errors: {} }, draft: true });
    },
  );
}
