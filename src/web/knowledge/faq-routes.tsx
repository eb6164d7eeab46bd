/**
 * The FAQ for readers: /faq (newest first, by application, keyset pages) and /faq/:numero.
 * An entry the visitor may not read answers 404, as one that does not exist.
 */
import { decodeFaqCursor, encodeFaqCursor, listFaq, readFaq } from '../../domain/knowledge/faq.js';
import { getReferentials } from '../../domain/referentials/referentials.js';
import { viewContext } from '../plugins/actor-gate.js';
import { sendPage } from '../shared/render.js';
import { first, numberParams, query, type ZodApp } from '../shared/schemas.js';
import { FaqListPage, FaqPage } from './faq-pages.js';

const listQuery = query({ application: first, apres: first });

export async function faqRoutes(app: ZodApp) {
  const { db } = app.deps;

  app.get('/faq', { schema: { querystring: listQuery } }, async (request, reply) => {
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

  app.get('/faq/:number', { schema: { params: numberParams } }, async (request, reply) => {
    const entry = await readFaq(db, request.actor, request.params.number);
    if (!entry) return reply.callNotFound();
    const ctx = await viewContext(request, reply);
    return sendPage(reply, <FaqPage ctx={ctx} entry={entry} />);
  });
}
