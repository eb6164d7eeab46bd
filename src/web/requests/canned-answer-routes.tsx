/**
 * « Insérer » a canned answer without JavaScript: the answer form comes back with the chosen text
 * added after what was typed. Nothing is saved; the agent still reads and sends the answer.
 */
import { cannedAnswersFor } from '../../domain/canned-answers/canned-answers.js';
import { getRequestView } from '../../domain/requests/queries.js';
import { actorOf, requireArea } from '../plugins/actor-gate.js';
import { form, numberParams, text, type ZodApp } from '../shared/schemas.js';
import { CANNED_ACTIONS } from './canned-answer-picker.js';
import type { ShowRequest } from './request-form-errors.js';

const schema = {
  params: numberParams,
  body: form({ insertInto: text, message: text, cannedAnswerId: text }),
};

export async function cannedAnswerInsertRoutes(app: ZodApp, show: ShowRequest) {
  const { db } = app.deps;

  app.post('/demandes/:number/reponse-type', { preValidation: requireArea('desk'), schema }, async (request, reply) => {
    const { number } = request.params;
    const action = CANNED_ACTIONS.find((a) => a === request.body.insertInto);
    if (!action) return reply.callNotFound();
    const view = await getRequestView(db, actorOf(request), number);
    if (!view) return reply.callNotFound();
    if (!view.actions.includes(action)) return reply.redirect(`/demandes/${number}`, 303);
    const typed = (request.body.message ?? '').slice(0, 20_000);
    const chosenId = request.body.cannedAnswerId ?? '';
    const chosen = (await cannedAnswersFor(db, view)).find((a) => String(a.id) === chosenId);
    if (!chosen) {
      const errors = { cannedAnswerId: 'Choisissez une réponse type dans la liste, puis « Insérer ».' };
      return show(request, reply, number, { action, form: { values: { message: typed }, errors } }, 422);
    }
    const message = typed.trim() ? `${typed.trimEnd()}\n\n${chosen.body}` : chosen.body;
    return show(request, reply, number, {
      action,
      form: { values: { message, cannedAnswerId: chosenId }, errors: {} },
      draft: true,
    });
  });
}
