/** The home page: the welcome text, the news, the latest FAQ entries and the person's latest requests. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { canUse } from '../../domain/access.js';
import { latestFaq } from '../../domain/knowledge/faq.js';
import { currentNews } from '../../domain/knowledge/news.js';
import { getReferentials } from '../../domain/referentials/referentials.js';
import { deskCounters } from '../../domain/requests/desk.js';
import { awaitingAnswer, listRequests } from '../../domain/requests/list-queries.js';
import { actorOf, requireArea, viewContext } from '../plugins/actor-gate.js';
import { DEFAULT_SORT } from '../requests/queue-page.js';
import { sendPage } from '../shared/render.js';
import type { ZodApp } from '../shared/schemas.js';
import { AWAITING_SHOWN, DESK_SHOWN, HomePage } from './home-page.js';

export async function homeRoutes(app: ZodApp) {
  const { db } = app.deps;

  // A pilote has no portal of requests: their home is « Pilotage ».
  const pilotHome = async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.actor && !canUse(request.actor, 'portal') && canUse(request.actor, 'pilotage'))
      return reply.redirect('/pilotage', 303);
  };

  app.get('/', { preValidation: [pilotHome, requireArea('portal')] }, async (request, reply) => {
    const actor = actorOf(request);
    const refs = await getReferentials(db);
    const requester = canUse(actor, 'fileRequest');
    const desk = canUse(actor, 'desk');
    // The desk's home is its work: what waits, most urgent first; a requester's is their latest requests.
    const latestQuery = desk
      ? listRequests(db, actor, { status: 'open' }, { limit: DESK_SHOWN, sort: DEFAULT_SORT })
      : listRequests(db, actor, {}, { limit: 5, mine: actor.role === 'requester' });
    const [news, faq, latest, awaiting, counters] = await Promise.all([
      currentNews(db, actor),
      latestFaq(db, actor),
      latestQuery,
      requester ? awaitingAnswer(db, actor, AWAITING_SHOWN) : [],
      desk ? deskCounters(db, actor) : null,
    ]);
    const ctx = await viewContext(request, reply);
    const data = { applications: refs.applications.map((a) => a.name), news, faq, latest: latest.rows, awaiting, counters };
    return sendPage(reply, <HomePage ctx={ctx} data={data} />);
  });
}
