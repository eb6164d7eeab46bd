import type { FastifyInstance } from 'fastify';
import { isStaff } from '../../domain/access.js';
import type { Actor } from '../../domain/actor.js';
import { getReferentials } from '../../domain/referentials/referentials.js';
import { type KnowledgeHit, type KnowledgeType, searchKnowledge } from '../../domain/search/knowledge-search.js';
import { type RequestSearchPage, searchRequests } from '../../domain/search/request-search.js';
import { REQUESTS_PER_PAGE, readSearchQuery, type SearchPageQuery } from '../../domain/search/search-page-query.js';
import { viewContext } from '../plugins/actor-gate.js';
import { sendPage } from '../shared/render.js';
import { KNOWLEDGE_CAP, REQUESTS_BESIDE, SearchPage } from './search-page.js';

/** « Rechercher »: the knowledge base for everyone (what each may read), requests too for staff. */
export async function searchRoutes(app: FastifyInstance) {
  const { db } = app.deps;

  app.get<{ Querystring: Record<string, unknown> }>('/recherche', async (request, reply) => {
    const actor = request.actor;
    const staff = isStaff(actor);
    const refs = await getReferentials(db);
    const query = readSearchQuery(request.query ?? {}, refs, staff);
    const [knowledge, requests] = query.text
      ? await Promise.all([knowledgeResults(app, actor, query), staff ? requestResults(app, actor, query) : null])
      : [[], null];
    const ctx = await viewContext(request, reply);
    return sendPage(reply, <SearchPage ctx={ctx} refs={refs} query={query} knowledge={knowledge} requests={requests} />);
  });
}

async function knowledgeResults(app: FastifyInstance, actor: Actor | null, query: SearchPageQuery): Promise<KnowledgeHit[]> {
  if (query.type === 'demandes') return [];
  return searchKnowledge(app.deps.db, actor, {
    text: query.text,
    applicationId: query.applicationId ?? undefined,
    themeId: query.themeId ?? undefined,
    types: query.type ? [query.type as KnowledgeType] : undefined,
    // One more than shown: the count then says « 50+ ».
    limit: KNOWLEDGE_CAP + 1,
  });
}

/** Staff: a few requests beside the knowledge; with the « Demandes » type, pages of them. */
async function requestResults(
  app: FastifyInstance,
  actor: Actor | null,
  query: SearchPageQuery,
): Promise<RequestSearchPage | null> {
  if (query.type && query.type !== 'demandes') return null;
  const only = query.type === 'demandes';
  return searchRequests(app.deps.db, actor, {
    text: query.text,
    applicationId: query.applicationId ?? undefined,
    themeId: query.themeId ?? undefined,
    limit: only ? REQUESTS_PER_PAGE : REQUESTS_BESIDE,
    offset: only ? query.offset : 0,
  });
}
