import { transaction } from '../../db/client.js';
import { ValidationError } from '../../domain/errors.js';
import { recordSatisfaction } from '../../domain/requests/commands/satisfaction.js';
import { getRequestView } from '../../domain/requests/queries.js';
import { actorOf, requireArea, viewContext } from '../plugins/actor-gate.js';
import { newFormToken } from '../shared/form-token.js';
import { sendPage } from '../shared/render.js';
import { form, numberParams, text, type ZodApp } from '../shared/schemas.js';
import { RequestPage } from './request-page.js';

const schema = { params: numberParams, body: form({ rating: text, comment: text }) };

/** « Votre avis sur le traitement de cette demande »: the survey's form posts here. */
export async function satisfactionRoutes(app: ZodApp) {
  const { db, config } = app.deps;

  app.post('/demandes/:number/avis', { preValidation: requireArea('portal'), schema }, async (request, reply) => {
    const actor = actorOf(request);
    const { number } = request.params;
    // Longer than any accepted comment, short enough to be shown back in the form.
    const input = { rating: request.body.rating, comment: request.body.comment?.slice(0, 5000) };
    try {
      await transaction(db, (tx) => recordSatisfaction(tx, actor, number, input));
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const view = await getRequestView(db, actor, number);
      if (!view) return reply.callNotFound();
      const ctx = await viewContext(request, reply);
      const survey = { values: { rating: input.rating ?? '', comment: input.comment ?? '' }, errors: error.fields };
      return sendPage(
        reply,
        <RequestPage ctx={ctx} request={view} token={newFormToken()} assignees={[]} limits={config.upload} survey={survey} />,
        422,
      );
    }
    return reply.redirect(`/demandes/${number}#avis`, 303);
  });
}
