import { canUse } from '../../domain/access.js';
import type { Actor } from '../../domain/actor.js';
import { getReferentials } from '../../domain/referentials/referentials.js';
import {
  countMyRequests,
  listMyRequests,
  type MyRequestsQuery,
  parseMyRequestsQuery,
  streamMyRequests,
} from '../../domain/requests/my-requests.js';
import { getSettings, type Settings } from '../../domain/settings/settings.js';
import { actorOf, requireArea, viewContext } from '../plugins/actor-gate.js';
import { sendPage } from '../shared/render.js';
import { query, raw, type ZodApp } from '../shared/schemas.js';
import { cellsOf, EXPORT_MAX_ROWS, parisDay, sendCsvStream } from '../shared/table-export.js';
import { MY_REQUESTS_COLUMNS, myRequestCells } from './my-requests-csv.js';
import { filterForm } from './my-requests-filters.js';
import { MyRequestsPage } from './my-requests-page.js';

type Query = Record<string, string | string[] | undefined>;

/** The filter form's parameters, as « Mes demandes » and its export read them. */
const filters = query({ statut: raw, application: raw, tri: raw, vue: raw, q: raw, du: raw, au: raw, apres: raw });

const PAGE_SIZE = 20;

/** « Toutes les demandes de ma structure » only when the setting is on and the person belongs to a structure. */
const sharesStructure = (actor: Actor, settings: Settings) =>
  settings.shareWithinStructure === true && actor.structureId !== null;

function readQuery(raw: Query, actor: Actor, settings: Settings) {
  const parsed = parseMyRequestsQuery(raw);
  const query: MyRequestsQuery = sharesStructure(actor, settings) ? parsed.query : { ...parsed.query, scope: 'mine' };
  return { query, errors: parsed.errors };
}

/** « Mes demandes » and its CSV export (requesters; the desk has its own queue). */
export async function myRequestsRoutes(app: ZodApp) {
  const { db } = app.deps;

  app.get('/demandes', { preValidation: requireArea('portal'), schema: { querystring: filters } }, async (request, reply) => {
    const actor = actorOf(request);
    if (!canUse(actor, 'fileRequest')) return reply.redirect('/guichet', 303);
    const settings = await getSettings(db);
    const { query, errors } = readQuery(request.query, actor, settings);
    const cursor = typeof request.query.apres === 'string' ? request.query.apres : undefined;
    const [page, count, refs, ctx] = await Promise.all([
      listMyRequests(db, actor, query, { cursor, limit: PAGE_SIZE }),
      countMyRequests(db, actor, query),
      getReferentials(db),
      viewContext(request, reply),
    ]);
    const raw = Object.fromEntries(
      Object.entries(request.query).map(([k, v]) => [k, Array.isArray(v) ? (v[0] ?? '') : (v ?? '')]),
    );
    return sendPage(
      reply,
      <MyRequestsPage
        ctx={ctx}
        refs={refs}
        page={page}
        query={query}
        form={filterForm(query, raw, errors)}
        count={count}
        shared={sharesStructure(actor, settings)}
        first={!cursor}
      />,
      Object.keys(errors).length ? 422 : 200,
    );
  });

  const exportRoute = { preValidation: requireArea('fileRequest'), schema: { querystring: filters } };
  app.get('/demandes/export.csv', exportRoute, async (request, reply) => {
    const actor = actorOf(request);
    // A refused field (a mistyped date) filters nothing, as in the list the link comes from.
    const { query } = readQuery(request.query, actor, await getSettings(db));
    const rows = cellsOf(streamMyRequests(db, actor, query, { max: EXPORT_MAX_ROWS }), myRequestCells);
    return sendCsvStream(reply, `mes-demandes-${parisDay()}.csv`, MY_REQUESTS_COLUMNS, rows);
  });
}
