import type { Executor } from '../../db/client.js';
import { isStaff } from '../../domain/access.js';
import type { Actor } from '../../domain/actor.js';
import { getReferentials } from '../../domain/referentials/referentials.js';
import { type KnowledgeHit, type KnowledgeType, searchKnowledge } from '../../domain/search/knowledge-search.js';
import { type RequestSearchPage, searchRequests, streamRequestSearch } from '../../domain/search/request-search.js';
import { REQUESTS_PER_PAGE, readSearchQuery, type SearchPageQuery } from '../../domain/search/search-page-query.js';
import { actorOf, requireArea, viewContext } from '../plugins/actor-gate.js';
import { sendPage } from '../shared/render.js';
import { query, raw, type ZodApp } from '../shared/schemas.js';
import { cellsOf, parisDay, sendCsvStream } from '../shared/table-export.js';
import { SEARCH_COLUMNS, searchHitCells } from './search-export.js';
import { KNOWLEDGE_CAP, REQUESTS_BESIDE, SearchPage } from './search-page.js';
import { SEARCH_EXPORT_PATH } from './search-results.js';

/** The search form's parameters, as sent: readSearchQuery drops the values it cannot use. */
const searchQuery = query({ q: raw, type: raw, application: raw, theme: raw, decalage: raw });
/** The export's: the words and the filters that narrow the requests. */
const exportQuery = query({ q: raw, application: raw, theme: raw });

/** « Rechercher »: the knowledge base for everyone (what each may read), requests too for staff. */
export async function searchRoutes(app: ZodApp) {
  const { db } = app.deps;

  app.get('/recherche', { schema: { querystring: searchQuery } }, async (request, reply) => {
    const actor = request.actor;
    const staff = isStaff(actor);
    const refs = await getReferentials(db);
    const query = readSearchQuery(request.query, refs, staff);
    const [knowledge, requests] = query.text
      ? await Promise.all([knowledgeResults(db, actor, query), staff ? requestResults(db, actor, query) : null])
      : [[], null];
    const ctx = await viewContext(request, reply);
    return sendPage(reply, <SearchPage ctx={ctx} refs={refs} query={query} knowledge={knowledge} requests={requests} />);
  });

  // Staff only, as the requests of the results are; the type and the page do not narrow the file.
  const exporting = { preValidation: requireArea('desk'), schema: { querystring: exportQuery } };
  app.get(SEARCH_EXPORT_PATH, exporting, async (request, reply) => {
    const actor = actorOf(request);
    const query = readSearchQuery(request.query, await getReferentials(db), true);
    const hits = streamRequestSearch(db, actor, {
      text: query.text,
      applicationId: query.applicationId ?? undefined,
      themeId: query.themeId ?? undefined,
    });
    return sendCsvStream(reply, `recherche-demandes-${parisDay()}.csv`, SEARCH_COLUMNS, cellsOf(hits, searchHitCells));
  });
}

async function knowledgeResults(db: Executor, actor: Actor | null, query: SearchPageQuery): Promise<KnowledgeHit[]> {
  if (query.type === 'demandes') return [];
  return searchKnowledge(db, actor, {
    text: query.text,
    applicationId: query.applicationId ?? undefined,
    themeId: query.themeId ?? undefined,
    types: query.type ? [query.type as KnowledgeType] : undefined,
    // One more than shown: the count then says « 50+ ».
    limit: KNOWLEDGE_CAP + 1,
  });
}

/** Staff: a few requests beside the knowledge; with the « Demandes » type, pages of them. */
async function requestResults(db: Executor, actor: Actor | null, query: SearchPageQuery): Promise<RequestSearchPage | null> {
  if (query.type && query.type !== 'demandes') return null;
  const only = query.type === 'demandes';
  return searchRequests(db, actor, {
    text: query.text,
    applicationId: query.applicationId ?? undefined,
    themeId: query.themeId ?? undefined,
    limit: only ? REQUESTS_PER_PAGE : REQUESTS_BESIDE,
    offset: only ? query.offset : 0,
  });
}
