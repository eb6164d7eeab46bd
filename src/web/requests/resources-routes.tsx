/**
 * « Ressources associées »: the desk searches the knowledge base for a request (GET), attaches or
 * removes a FAQ entry or a document (POST); editors draft an FAQ entry from a treated request.
 */
import { transaction } from '../../db/client.js';
import { createFaqFromRequest } from '../../domain/knowledge/faq-from-request.js';
import { attachResource, detachResource, parseResourceRef } from '../../domain/knowledge/resources.js';
import { getRequestView } from '../../domain/requests/queries.js';
import { searchKnowledge } from '../../domain/search/knowledge-search.js';
import { cleanQueryText } from '../../domain/search/text-query.js';
import { actorOf, requireArea, viewContext } from '../plugins/actor-gate.js';
import { sendPage } from '../shared/render.js';
import { form, numberParams, query, text, type ZodApp } from '../shared/schemas.js';
import { ResourcesSearchPage } from './resources-search-page.js';

const RESULTS = 10;

export async function resourceRoutes(app: ZodApp) {
  const { db } = app.deps;
  const desk = { preValidation: requireArea('desk') };

  const searchSchema = { params: numberParams, querystring: query({ recherche: text }) };
  app.get('/demandes/:number/ressources', { ...desk, schema: searchSchema }, async (request, reply) => {
    const actor = actorOf(request);
    const view = await getRequestView(db, actor, request.params.number);
    if (!view) return reply.callNotFound();
    const words = cleanQueryText(request.query.recherche ?? '');
    const hits = words ? await searchKnowledge(db, actor, { text: words, types: ['faq', 'document'], limit: RESULTS }) : [];
    const ctx = await viewContext(request, reply);
    return sendPage(reply, <ResourcesSearchPage ctx={ctx} request={view} text={words} hits={hits} />);
  });

  const changeSchema = { params: numberParams, body: form({ type: text, id: text }) };
  const change = (path: string, work: typeof attachResource) =>
    app.post(path, { ...desk, schema: changeSchema }, async (request, reply) => {
      const { number } = request.params;
      const ref = parseResourceRef(request.body.type, request.body.id);
      if (!ref) return reply.callNotFound();
      await transaction(db, (tx) => work(tx, actorOf(request), number, ref));
      return reply.redirect(`/demandes/${number}?fait=1#ressources`, 303);
    });
  change('/demandes/:number/ressources', attachResource);
  change('/demandes/:number/ressources/retirer', detachResource);

  const faqSchema = { params: numberParams };
  app.post('/demandes/:number/faq', { preValidation: requireArea('portal'), schema: faqSchema }, async (request, reply) => {
    const draft = await transaction(db, (tx) => createFaqFromRequest(tx, actorOf(request), request.params.number, request.ip));
    return reply.redirect(`/redaction/faq/${draft.id}`, 303);
  });
}
