/**
 * « Ressources associées »: the desk searches the knowledge base for a request (GET), attaches or
 * removes a FAQ entry or a document (POST); editors draft an FAQ entry from a treated request.
 */
import type { FastifyInstance } from 'fastify';
import { transaction } from '../../db/client.js';
import { createFaqFromRequest } from '../../domain/knowledge/faq-from-request.js';
import { attachResource, detachResource, parseResourceRef } from '../../domain/knowledge/resources.js';
import { getRequestView } from '../../domain/requests/queries.js';
import { searchKnowledge } from '../../domain/search/knowledge-search.js';
import { cleanQueryText } from '../../domain/search/text-query.js';
import { requireArea, viewContext } from '../plugins/actor-gate.js';
import { sendPage } from '../shared/render.js';
import { ResourcesSearchPage } from './resources-search-page.js';

type Params = { number: string };
const RESULTS = 10;

export async function resourceRoutes(app: FastifyInstance) {
  const { db } = app.deps;
  const desk = { preHandler: requireArea('desk') };
  const portal = { preHandler: requireArea('portal') };
  const numberOf = (params: Params) => {
    const n = Number(params.number);
    return Number.isSafeInteger(n) && n > 0 ? n : null;
  };

  app.get<{ Params: Params; Querystring: { recherche?: string } }>(
    '/demandes/:number/ressources',
    desk,
    async (request, reply) => {
      const number = numberOf(request.params);
      const view = number === null ? null : await getRequestView(db, request.actor!, number);
      if (!view) return reply.callNotFound();
      const text = cleanQueryText(String(request.query.recherche ?? ''));
      const hits = text ? await searchKnowledge(db, request.actor, { text, types: ['faq', 'document'], limit: RESULTS }) : [];
      const ctx = await viewContext(request, reply);
      return sendPage(reply, <ResourcesSearchPage ctx={ctx} request={view} text={text} hits={hits} />);
    },
  );

  const change = (path: string, work: typeof attachResource) =>
    app.post<{ Params: Params; Body: Record<string, string> }>(path, desk, async (request, reply) => {
      const number = numberOf(request.params);
      const ref = parseResourceRef(request.body?.type, request.body?.id);
      if (number === null || !ref) return reply.callNotFound();
      await transaction(db, (tx) => work(tx, request.actor!, number, ref));
      return reply.redirect(`/demandes/${number}?fait=1#ressources`, 303);
    });
  change('/demandes/:number/ressources', attachResource);
  change('/demandes/:number/ressources/retirer', detachResource);

  app.post<{ Params: Params }>('/demandes/:number/faq', portal, async (request, reply) => {
    const number = numberOf(request.params);
    if (number === null) return reply.callNotFound();
    const draft = await transaction(db, (tx) => createFaqFromRequest(tx, request.actor!, number, request.ip));
    return reply.redirect(`/redaction/faq/${draft.id}`, 303);
  });
}
