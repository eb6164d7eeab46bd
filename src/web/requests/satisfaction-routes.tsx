import type { FastifyInstance } from 'fastify';
import { transaction } from '../../db/client.js';
import { ValidationError } from '../../domain/errors.js';
import { recordSatisfaction } from '../../domain/requests/commands/satisfaction.js';
import { getRequestView } from '../../domain/requests/queries.js';
import { isBigId } from '../../domain/validation.js';
import { requireArea, viewContext } from '../plugins/actor-gate.js';
import { newFormToken } from '../shared/form-token.js';
import { sendPage } from '../shared/render.js';
import { RequestPage } from './request-page.js';

const text = (value: unknown) => (typeof value === 'string' ? value : undefined);

/** « Votre avis sur le traitement de cette demande »: the survey's form posts here. */
export async function satisfactionRoutes(app: FastifyInstance) {
  const { db, config } = app.deps;

  app.post<{ Params: { number: string } }>(
    '/demandes/:number/avis',
    { preHandler: requireArea('portal') },
    async (request, reply) => {
      const actor = request.actor!;
      const number = Number(request.params.number);
      if (!isBigId(number)) return reply.callNotFound();
      const body = (request.body ?? {}) as Record<string, unknown>;
      // Longer than any accepted comment, short enough to be shown back in the form.
      const input = { rating: text(body.rating), comment: text(body.comment)?.slice(0, 5000) };
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
    },
  );
}
