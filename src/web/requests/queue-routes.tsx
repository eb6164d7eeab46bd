import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { transaction } from '../../db/client.js';
import type { Actor } from '../../domain/actor.js';
import { listCannedAnswers } from '../../domain/canned-answers/canned-answers.js';
import { ValidationError } from '../../domain/errors.js';
import { mailContextOf } from '../../domain/notifications/request-notifications.js';
import { getReferentials } from '../../domain/referentials/referentials.js';
import { colleaguesOf } from '../../domain/requests/assignees.js';
import {
  applyToSelection,
  type Operation,
  parseSelection,
  type SelectionOutcome,
} from '../../domain/requests/commands/apply-to-selection.js';
import { deleteDeskView, listDeskViews, saveDeskView } from '../../domain/requests/desk-views.js';
import {
  countRequests,
  type ListFilters,
  listRequests,
  QUEUE_SORTS,
  type QueueSort,
  streamRequests,
} from '../../domain/requests/list-queries.js';
import { type RequestStatus, STATUSES } from '../../domain/vocabulary.js';
import type { FormState } from '../components/form.js';
import { actorOf, requireArea, viewContext } from '../plugins/actor-gate.js';
import { sendPage } from '../shared/render.js';
import { first, form, idParams, list, query, text, type ZodApp } from '../shared/schemas.js';
import { cellsOf, EXPORT_MAX_ROWS, parisDay, sendCsvStream } from '../shared/table-export.js';
import { newRequestForCallerRoutes } from './caller-request-routes.js';
import { QUEUE_COLUMNS, queueCells } from './queue-export.js';
import {
  DEFAULT_SORT,
  MINE_PATH,
  type Notice,
  QUEUE_PATH,
  QueuePage,
  type QueueView,
  type SelectionProblem,
  SHORTCUTS_PATH,
} from './queue-page.js';
import type { SelectionOperation } from './queue-selection.js';
import { ShortcutsPage } from './shortcuts-page.js';

/** Filters and order of the queue, by their query-string names. */
const FILTERS = ['statut', 'application', 'niveau', 'gestionnaire', 'bloquant', 'echeance', 'nonlu', 'tri'] as const;
type FilterValues = Partial<Record<(typeof FILTERS)[number], string>>;

const filterFields = Object.fromEntries(FILTERS.map((name) => [name, first])) as Record<(typeof FILTERS)[number], typeof first>;

/** The export reads the filters only: it is every page of the list. */
const exportQuery = query(filterFields);

const queueQuery = query({
  ...filterFields,
  apres: first,
  /** Back to the queue as it opens by default (the filters kept in the session are forgotten). */
  reinitialiser: first,
  /** After an action that took the request out of this person's queue. */
  transmise: first,
  /** After an action on a selection: what was done (see outcomeOf). */
  selection: first,
  faites: first,
  conflits: first,
  refusees: first,
  /** After saving or deleting a view. */
  vue: first,
});
type Query = z.output<typeof queueQuery>;

const OPERATIONS: readonly SelectionOperation[] = ['take', 'assign', 'resolve', 'ask_info'];
const MESSAGE_LIMIT = 20_000;
const PAGE_SIZE = 50;
/** Past this, the total says « plus de … » (a count of the whole table would cost more than the page). */
const COUNT_CAP = 10_000;

const selectionForm = form({
  selection: list,
  assigneeId: text,
  operation: text,
  retour: text,
  message: text,
  cannedAnswerId: text,
});
const viewForm = form({ name: text, path: text, query: text });

/** The queue's order, from « tri » (« echeance-asc »); the default for anything else. */
export function parseSort(value: string | undefined): QueueSort {
  const [key, direction] = (value ?? '').split('-');
  const known = QUEUE_SORTS.find((k) => k === key);
  return known && (direction === 'asc' || direction === 'desc') ? { key: known, direction } : DEFAULT_SORT;
}

/** Reads the queue's filters from the query string; unknown values are ignored. Open requests unless « statut » says otherwise. */
function parseFilters(q: FilterValues, view: QueueView): ListFilters {
  const status =
    q.statut === 'toutes' ? undefined : STATUSES.includes(q.statut as RequestStatus) ? (q.statut as RequestStatus) : 'open';
  return {
    status,
    applicationId: Number(q.application) || undefined,
    level: q.niveau === '1' ? 1 : q.niveau === '2' ? 2 : undefined,
    assignee: view === 'mine' || q.gestionnaire === 'moi' ? 'me' : q.gestionnaire === 'personne' ? 'none' : undefined,
    blocking: q.bloquant === 'oui' ? true : q.bloquant === 'non' ? false : undefined,
    due: q.echeance === 'en-retard' ? 'late' : q.echeance === 'bientot' ? 'soon' : undefined,
    unread: q.nonlu === 'oui' || undefined,
  };
}

/** The filters as a query string: only those set, in a stable order (« Gestionnaire » is implied on « mine »). */
function filterQuery(q: FilterValues, view: QueueView): string {
  const kept = FILTERS.filter((name) => q[name] && !(view === 'mine' && name === 'gestionnaire'));
  return new URLSearchParams(kept.map((name) => [name, q[name] as string])).toString();
}

const numbers = (value: string | undefined) =>
  (value ?? '')
    .split(',')
    .map(Number)
    .filter((n) => Number.isSafeInteger(n) && n > 0);

function outcomeOf(q: Query): (SelectionOutcome & { operation: SelectionOperation }) | undefined {
  const operation = OPERATIONS.find((o) => o === q.selection);
  if (!operation) return undefined;
  return { operation, done: numbers(q.faites), conflicts: numbers(q.conflits), refused: numbers(q.refusees) };
}

/** One of the desk's two lists, from an address a form sent back. */
function deskPath(raw: unknown): { path: string; view: QueueView; search: string } {
  const [path, search = ''] = typeof raw === 'string' ? raw.split('?', 2) : [QUEUE_PATH, ''];
  return path === MINE_PATH ? { path, view: 'mine', search } : { path: QUEUE_PATH, view: 'all', search };
}

/** Where to go back after a selection's action: one of the desk's views, with its filters only. */
function backTo(raw: unknown, outcome: SelectionOutcome, operation: SelectionOperation | SelectionProblem): string {
  const { path, view, search } = deskPath(raw);
  const params = new URLSearchParams(filterQuery(Object.fromEntries(new URLSearchParams(search)), view));
  params.set('selection', operation);
  if (outcome.done.length) params.set('faites', outcome.done.join(','));
  if (outcome.conflicts.length) params.set('conflits', outcome.conflicts.join(','));
  if (outcome.refused.length) params.set('refusees', outcome.refused.join(','));
  return `${path}?${params}`;
}

/** The canned answers the person may send from the desk: the general ones and those of their applications. */
async function cannedOptions(request: FastifyRequest, actor: Actor) {
  const all = await listCannedAnswers(request.server.deps.db);
  return all
    .filter(
      (a) => a.active && (a.applicationId === null || actor.role === 'admin' || actor.applicationIds.includes(a.applicationId)),
    )
    .map((a) => ({ id: a.id, title: a.applicationName ? `${a.title} (${a.applicationName})` : a.title }));
}

/** What the selection's form asks for, or the problem that stops it before any request is touched. */
function operationOf(body: z.output<typeof selectionForm>): Operation | SelectionProblem {
  const kind = OPERATIONS.find((o) => o === body.operation) ?? 'take';
  if (kind === 'take') return { action: 'take' };
  if (kind === 'assign') {
    const assigneeId = Number(body.assigneeId);
    return Number.isSafeInteger(assigneeId) && assigneeId > 0 ? { action: 'reassign', assigneeId } : 'sans-personne';
  }
  const typed = (body.message ?? '').trim().slice(0, MESSAGE_LIMIT);
  const cannedAnswerId = Number(body.cannedAnswerId);
  if (typed) return { action: kind, message: { text: typed } };
  if (Number.isSafeInteger(cannedAnswerId) && cannedAnswerId > 0) return { action: kind, message: { cannedAnswerId } };
  return 'sans-message';
}

export async function deskRoutes(app: ZodApp) {
  const { db, config } = app.deps;
  const gate = { preValidation: requireArea('desk') };
  const listing = { ...gate, schema: { querystring: queueQuery } };
  await app.register(newRequestForCallerRoutes);

  const queue = async (
    request: FastifyRequest,
    reply: FastifyReply,
    q: Query,
    view: QueueView,
    viewState: FormState = { values: {}, errors: {} },
  ) => {
    const actor = actorOf(request);
    const filters = parseFilters(q, view);
    const sort = parseSort(q.tri);
    const [page, total, refs, colleagues, views, canned] = await Promise.all([
      listRequests(db, actor, filters, { cursor: q.apres, limit: PAGE_SIZE, sort }),
      countRequests(db, actor, filters, { cap: COUNT_CAP }),
      getReferentials(db),
      colleaguesOf(db, actor),
      listDeskViews(db, actor.id),
      cannedOptions(request, actor),
    ]);
    const ctx = await viewContext(request, reply);
    const values: Record<string, string> = Object.fromEntries(FILTERS.map((name) => [name, q[name] ?? '']));
    values.tri = `${sort.key}-${sort.direction}`;
    const applications = refs.applications.filter((a) => actor.role === 'admin' || actor.applicationIds.includes(a.id));
    const notice: Notice | undefined =
      q.vue === 'enregistree' || q.vue === 'supprimee' ? q.vue : q.transmise === '1' ? 'transmise' : undefined;
    return sendPage(
      reply,
      <QueuePage
        ctx={ctx}
        view={view}
        page={page}
        total={total}
        form={{ values, errors: {} }}
        viewForm={viewState}
        applications={applications}
        colleagues={colleagues}
        views={views}
        canned={canned}
        query={filterQuery(q, view)}
        sort={sort}
        first={!q.apres}
        notice={notice}
        outcome={outcomeOf(q)}
        problem={
          q.selection === 'vide' || q.selection === 'sans-personne' || q.selection === 'sans-message' ? q.selection : undefined
        }
      />,
      Object.keys(viewState.errors).length ? 422 : 200,
    );
  };

  /**
   * The queue keeps its filters for the session: coming back through the menu (the bare address)
   * shows the list as it was left; « Réinitialiser » forgets them.
   */
  const keptQueue =
    (view: QueueView, path: string) => async (request: FastifyRequest<{ Querystring: Query }>, reply: FastifyReply) => {
      const q = request.query;
      const kept = request.session.deskQueries ?? {};
      if (q.reinitialiser !== undefined) {
        request.session.deskQueries = { ...kept, [view]: undefined };
        return reply.redirect(path, 303);
      }
      const hasFilters = FILTERS.some((name) => q[name] !== undefined);
      if (!hasFilters && !request.url.includes('?') && kept[view]) return reply.redirect(`${path}?${kept[view]}`, 303);
      if (hasFilters) {
        const now = filterQuery(q, view);
        if ((kept[view] ?? '') !== now) request.session.deskQueries = { ...kept, [view]: now || undefined };
      }
      return queue(request, reply, q, view);
    };
  app.get(QUEUE_PATH, listing, keptQueue('all', QUEUE_PATH));
  app.get(MINE_PATH, listing, keptQueue('mine', MINE_PATH));

  /** The filtered list, every page of it, as far as the person may see (listRequests' visibility). */
  const exportList = (request: FastifyRequest, reply: FastifyReply, q: FilterValues, view: QueueView) => {
    const rows = streamRequests(db, actorOf(request), parseFilters(q, view), { max: EXPORT_MAX_ROWS, sort: parseSort(q.tri) });
    const name = `${view === 'mine' ? 'guichet-en-charge' : 'guichet'}-${parisDay()}.csv`;
    return sendCsvStream(reply, name, QUEUE_COLUMNS, cellsOf(rows, queueCells));
  };
  const exporting = { ...gate, schema: { querystring: exportQuery } };
  app.get(`${QUEUE_PATH}/export.csv`, exporting, (request, reply) => exportList(request, reply, request.query, 'all'));
  app.get(`${MINE_PATH}/export.csv`, exporting, (request, reply) => exportList(request, reply, request.query, 'mine'));

  app.post('/guichet/selection', { ...gate, schema: { body: selectionForm } }, async (request, reply) => {
    const body = request.body;
    const selected = parseSelection(body.selection);
    const operation = operationOf(body);
    const kind = OPERATIONS.find((o) => o === body.operation) ?? 'take';
    const none: SelectionOutcome = { done: [], conflicts: [], refused: [] };
    if (selected.length === 0) return reply.redirect(backTo(body.retour, none, 'vide'), 303);
    if (typeof operation === 'string') return reply.redirect(backTo(body.retour, none, operation), 303);
    const outcome = await applyToSelection(db, actorOf(request), selected, operation, mailContextOf(config));
    return reply.redirect(backTo(body.retour, outcome, kind), 303);
  });

  /** « Enregistrer cette vue »: the list's filters and order under a name; a refused name comes back next to its field. */
  app.post('/guichet/vues', { ...gate, schema: { body: viewForm } }, async (request, reply) => {
    const actor = actorOf(request);
    const { path, view } = deskPath(request.body.path);
    const search = filterQuery(Object.fromEntries(new URLSearchParams(request.body.query ?? '')), view);
    const name = (request.body.name ?? '').slice(0, 200);
    try {
      await transaction(db, (tx) => saveDeskView(tx, actor.id, { name, path, query: search }));
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const q = queueQuery.parse(Object.fromEntries(new URLSearchParams(search)));
      return queue(request, reply, q, view, { values: { name }, errors: error.fields });
    }
    return reply.redirect(`${path}?${search ? `${search}&` : ''}vue=enregistree`, 303);
  });

  app.post('/guichet/vues/:id/supprimer', { ...gate, schema: { params: idParams, body: form({}) } }, async (request, reply) => {
    await transaction(db, (tx) => deleteDeskView(tx, actorOf(request).id, request.params.id));
    return reply.redirect(`${QUEUE_PATH}?vue=supprimee`, 303);
  });

  app.get(SHORTCUTS_PATH, gate, async (request, reply) =>
    sendPage(reply, <ShortcutsPage ctx={await viewContext(request, reply)} />),
  );

  /** « Demande suivante »: the first request of the person's queue, as they left it, other than the one just handled. */
  app.get(
    '/guichet/suivante',
    { ...gate, schema: { querystring: z.object({ apres: first }).catchall(z.unknown()) } },
    async (request, reply) => {
      const actor = actorOf(request);
      const kept = Object.fromEntries(new URLSearchParams(request.session.deskQueries?.all ?? ''));
      const done = Number(request.query.apres);
      const page = await listRequests(db, actor, parseFilters(kept, 'all'), { limit: 2, sort: parseSort(kept.tri) });
      const next = page.rows.find((r) => r.number !== done);
      return reply.redirect(next ? `/demandes/${next.number}` : `${QUEUE_PATH}?vue=vide`, 303);
    },
  );
}
