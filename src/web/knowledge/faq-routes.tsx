/**
 * The FAQ for readers: /faq (newest first, by application, keyset pages) and /faq/:numero.
 * An entry the visitor may not read answers 404, as one that does not exist.
 */
import type { FastifyInstance } from 'fastify';
import { decodeFaqCursor, encodeFaqCursor, listFaq, readFaq } from '../../domain/knowledge/faq.js';
import { getReferentials } from '../../domain/referentials/referentials.js';
import { viewContext } from '../plugins/actor-gate.js';
import { sendPage } from '../shared/render.js';
import { FaqListPage, FaqPage } from './faq-pages.js';

export async function faqRoutes(app: FastifyInstance) {
  const { db } = app.deps;

  app.get<{ Querystring: { application?: string; apres?: string } }>('/faq', async (request, reply) => {
    const refs = await getReferentials(db);
    const application = refs.applications.find((a) => String(a.id) === request.query.application);
    const after = decodeFaqCursor(request.query.apres);
    const { items, next } = await listFaq(db, request.actor, { applicationId: application?.id, after });
    const params = (cursor: string) =>
      `/faq?${new URLSearchParams({ ...(application ? { application: String(application.id) } : {}), apres: cursor })}`;
    const ctx = await viewContext(request, reply);
    return sendPage(
      reply,
      <FaqListPage
        ctx={ctx}
        items={items}
        applications={refs.applications}
        applicationId={application?.id}
        nextHref={next ? params(encodeFaqCursor(next)) : null}
        first={after === null}
      />,
    );
  });

  app.get<{ Params: { number: string } }>('/faq/:number', async (request, reply) => {
    const number = /^\d{1,9}$/.test(request.params.number) ? Number(request.params.number) : 0;
    const entry = await readFaq(db, request.actor, number);
    if (!entry) return reply.callNotFound();
    const ctx = await viewContext(request, reply);
    return sendPage(reply, <FaqPage ctx={ctx} entry={entry} />);
  });
}
