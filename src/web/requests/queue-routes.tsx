import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { mailContextOf } from '../../domain/notifications/request-notifications.js';
import { getReferentials } from '../../domain/referentials/referentials.js';
import { colleaguesOf } from '../../domain/requests/assignees.js';
import {
  applyToSelection,
  type Operation,
  parseSelection,
  type SelectionOutcome,
} from '../../domain/requests/commands/apply-to-selection.js';
import { type ListFilters, listRequests, streamRequests } from '../../domain/requests/list-queries.js';
import { type RequestStatus, STATUSES } from '../../domain/vocabulary.js';
import { actorOf, requireArea, viewContext } from '../plugins/actor-gate.js';
import { sendPage } from '../shared/render.js';
import { first, form, list, query, text, type ZodApp } from '../shared/schemas.js';
import { cellsOf, EXPORT_MAX_ROWS, parisDay, sendCsvStream } from '../shared/table-export.js';
import { newRequestForCallerRoutes } from './caller-request-routes.js';
import { QUEUE_COLUMNS, queueCells } from './queue-export.js';
import { MINE_PATH, QUEUE_PATH, QueuePage, type QueueView, type SelectionProblem } from './queue-page.js';

/** Filters of the queue, by their query-string names. */
const FILTERS = ['statut', 'application', 'niveau', 'gestionnaire', 'bloquant', 'echeance'] as const;

const filterFields = Object.fromEntries(FILTERS.map((name) => [name, first])) as Record<(typeof FILTERS)[number], typeof first>;

/** The export reads the filters only: it is every page of the list. */
const exportQuery = query(filterFields);

const queueQuery = query({
  ...filterFields,
  apres: first,
  /** After an action that took the request out of this person's queue. */
  transmise: first,
  /** After an action on a selection: what was done (see outcomeOf). */
  selection: first,
  faites: first,
  conflits: first,
  refusees: first,
});
type Query = z.output<typeof queueQuery>;
/** The filters as typed, by their query-string names. */
type FilterValues = Partial<Record<(typeof FILTERS)[number], string>>;

const selectionForm = form({ selection: list, assigneeId: text, operation: text, retour: text });

/** Reads the queue's filters from the query string; unknown values are ignored. */
function parseFilters(q: FilterValues, view: QueueView): ListFilters {
  return {
    status: STATUSES.includes(q.statut as RequestStatus) ? (q.statut as RequestStatus) : undefined,
    applicationId: Number(q.application) || undefined,
    level: q.niveau === '1' ? 1 : q.niveau === '2' ? 2 : undefined,
    assignee: view === 'mine' || q.gestionnaire === 'moi' ? 'me' : q.gestionnaire === 'personne' ? 'none' : undefined,
    blocking: q.bloquant === 'oui' ? true : q.bloquant === 'non' ? false : undefined,
    due: q.echeance === 'en-retard' ? 'late' : q.echeance === 'bientot' ? 'soon' : undefined,
  };
}

const numbers = (value: string | undefined) =>
  (value ?? '')
    .split(',')
    .map(Number)
    .filter((n) => Number.isSafeInteger(n) && n > 0);

function outcomeOf(q: Query): (SelectionOutcome & { operation: 'take' | 'assign' }) | undefined {
  const operation = q.selection === 'take' ? 'take' : q.selection === 'assign' ? 'assign' : null;
  if (!operation) return undefined;
  return { operation, done: numbers(q.faites), conflicts: numbers(q.conflits), refused: numbers(q.refusees) };
}

/** Where to go back after a selection's action: one of the desk's views, with its filters only. */
function backTo(raw: unknown, outcome: SelectionOutcome, operation: 'take' | 'assign' | SelectionProblem): string {
  const [path, search] = typeof raw === 'string' ? raw.split('?', 2) : [QUEUE_PATH, ''];
  const kept = new URLSearchParams(search);
  const params = new URLSearchParams(FILTERS.flatMap((name) => (kept.get(name) ? [[name, kept.get(name) as string]] : [])));
  params.set('selection', operation);
  if (outcome.done.length) params.set('faites', outcome.done.join(','));
  if (outcome.conflicts.length) params.set('conflits', outcome.conflicts.join(','));
  if (outcome.refused.length) params.set('refusees', outcome.refused.join(','));
  return `${path === MINE_PATH ? MINE_PATH : QUEUE_PATH}?${params}`;
}

export async function deskRoutes(app: ZodApp) {
  const { db, config } = app.deps;
  const gate = { preValidation: requireArea('desk') };
  const listing = { ...gate, schema: { querystring: queueQuery } };
  await app.register(newRequestForCallerRoutes);

  const queue = async (request: FastifyRequest, reply: FastifyReply, q: Query, view: QueueView) => {
    const actor = actorOf(request);
    const [page, refs, colleagues] = await Promise.all([
      listRequests(db, actor, parseFilters(q, view), { cursor: q.apres, limit: 25 }),
      getReferentials(db),
      colleaguesOf(db, actor),
    ]);
    const ctx = await viewContext(request, reply);
    const values = Object.fromEntries(FILTERS.map((name) => [name, q[name] ?? '']));
    if (view === 'mine') delete values.gestionnaire;
    const query = new URLSearchParams(Object.entries(values).filter(([, v]) => v)).toString();
    const applications = refs.applications.filter((a) => actor.role === 'admin' || actor.applicationIds.includes(a.id));
    return sendPage(
      reply,
      <QueuePage
        ctx={ctx}
        view={view}
        page={page}
        form={{ values, errors: {} }}
        applications={applications}
        colleagues={colleagues}
        query={query}
        first={!q.apres}
        transferred={q.transmise === '1'}
        outcome={outcomeOf(q)}
        problem={q.selection === 'vide' || q.selection === 'sans-personne' ? q.selection : undefined}
      />,
    );
  };

  app.get(QUEUE_PATH, listing, (request, reply) => queue(request, reply, request.query, 'all'));
  app.get(MINE_PATH, listing, (request, reply) => queue(request, reply, request.query, 'mine'));

  /** The filtered list, every page of it, as far as the person may see (listRequests' visibility). */
  const exportList = (request: FastifyRequest, reply: FastifyReply, q: FilterValues, view: QueueView) => {
    const rows = streamRequests(db, actorOf(request), parseFilters(q, view), { max: EXPORT_MAX_ROWS });
    const name = `${view === 'mine' ? 'guichet-en-charge' : 'guichet'}-${parisDay()}.csv`;
    return sendCsvStream(reply, name, QUEUE_COLUMNS, cellsOf(rows, queueCells));
  };
  const exporting = { ...gate, schema: { querystring: exportQuery } };
  app.get(`${QUEUE_PATH}/export.csv`, exporting, (request, reply) => exportList(request, reply, request.query, 'all'));
  app.get(`${MINE_PATH}/export.csv`, exporting, (request, reply) => exportList(request, reply, request.query, 'mine'));

  app.post('/guichet/selection', { ...gate, schema: { body: selectionForm } }, async (request, reply) => {
    const body = request.body;
    const selected = parseSelection(body.selection);
    const assigneeId = Number(body.assigneeId);
    const kind = body.operation === 'assign' ? 'assign' : 'take';
    const operation: Operation | null =
      kind === 'take'
        ? { action: 'take' }
        : Number.isSafeInteger(assigneeId) && assigneeId > 0
          ? { action: 'reassign', assigneeId }
          : null;
    const none: SelectionOutcome = { done: [], conflicts: [], refused: [] };
    if (selected.length === 0) return reply.redirect(backTo(body.retour, none, 'vide'), 303);
    if (!operation) return reply.redirect(backTo(body.retour, none, 'sans-personne'), 303);
    const outcome = await applyToSelection(db, actorOf(request), selected, operation, mailContextOf(config));
    return reply.redirect(backTo(body.retour, outcome, kind), 303);
  });
}
