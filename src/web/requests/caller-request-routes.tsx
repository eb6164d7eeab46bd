import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { StagedFile } from '../../domain/attachments/staging.js';
import { getReferentials } from '../../domain/referentials/referentials.js';
import { parseCallerChannel, parseOnBehalf } from '../../domain/requests/input.js';
import { getRequestView } from '../../domain/requests/queries.js';
import { findCallableRequester, searchRequesters } from '../../domain/requests/requester-search.js';
import { emptyForm, type FormState } from '../components/form.js';
import { actorOf, requireArea, viewContext } from '../plugins/actor-gate.js';
import { newFormToken } from '../shared/form-token.js';
import { sendPage } from '../shared/render.js';
import { first, query, serialParam, type ZodApp } from '../shared/schemas.js';
import { CallerRequestPage, NEW_FOR_CALLER_PATH, RequesterSearchPage, type SearchState } from './caller-request-pages.js';
import { type ExtraFields, submitNewRequest } from './new-request-submission.js';

const searchQuery = query({ recherche: first, enregistree: first, deja: first });
type SearchQuery = z.output<typeof searchQuery>;
const requesterParams = z.object({ requesterId: serialParam });

/** Reads the search box: nothing typed yet, too short, or words to look for. */
function searchText(raw: string | undefined): { text: string | null; error?: string } {
  if (raw === undefined) return { text: null };
  const text = raw.trim().slice(0, 200);
  if (text.length < 2)
    return { text: null, error: 'Saisissez au moins 2 caractères : un nom, un identifiant, une adresse ou une structure.' };
  return { text };
}

export async function newRequestForCallerRoutes(app: ZodApp) {
  const { db, config } = app.deps;
  const gate = { preValidation: requireArea('desk') };

  app.get(NEW_FOR_CALLER_PATH, { ...gate, schema: { querystring: searchQuery } }, async (request, reply) => {
    const q = request.query;
    const { text, error } = searchText(q.recherche);
    const state: SearchState = {
      form: { values: { recherche: q.recherche ?? '' }, errors: error ? { recherche: error } : {} },
      result: text ? await searchRequesters(db, text) : null,
      filed: await filedNotice(request, q),
    };
    const ctx = await viewContext(request, reply);
    return sendPage(reply, <RequesterSearchPage ctx={ctx} state={state} />, error ? 422 : 200);
  });

  /** After filing: the number, and the requester's name when this desk member may open the request. */
  async function filedNotice(request: FastifyRequest, q: SearchQuery): Promise<SearchState['filed']> {
    const number = Number(q.enregistree);
    if (!Number.isSafeInteger(number) || number <= 0) return undefined;
    const view = await getRequestView(db, actorOf(request), number);
    return { number, created: q.deja !== '1', requesterName: view?.requesterName ?? null };
  }

  async function showForm(
    request: FastifyRequest,
    reply: Parameters<typeof sendPage>[0],
    requesterId: number,
    state: { form: FormState; token: string; staged: StagedFile[] },
    status = 200,
  ) {
    const requester = await findCallableRequester(db, requesterId);
    if (!requester) return reply.callNotFound();
    const ctx = await viewContext(request, reply);
    const refs = await getReferentials(db);
    return sendPage(
      reply,
      <CallerRequestPage
        ctx={ctx}
        refs={refs}
        requester={requester}
        form={state.form}
        token={state.token}
        staged={state.staged}
        limits={config.upload}
      />,
      status,
    );
  }

  const schema = { params: requesterParams };
  app.get(`${NEW_FOR_CALLER_PATH}/:requesterId`, { ...gate, schema }, (request, reply) =>
    showForm(request, reply, request.params.requesterId, {
      form: emptyForm({ channel: 'telephone' }),
      token: newFormToken(),
      staged: [],
    }),
  );

  app.post(
    `${NEW_FOR_CALLER_PATH}/:requesterId`,
    { ...gate, config: { multipartForm: true }, schema },
    async (request, reply) => {
      const requester = await findCallableRequester(db, request.params.requesterId);
      // The body is left unread: nothing is stored for a request that cannot be filed.
      if (!requester) return reply.callNotFound();
      const extras: ExtraFields[] = [(f) => ({ channel: parseCallerChannel(f.channel) })];
      if (requester.kind === 'direccte') extras.push((f) => ({ onBehalf: parseOnBehalf(f) }));
      const outcome = await submitNewRequest(request, reply, { requesterId: requester.id, extras });
      if (outcome.filed) {
        const { number, created } = outcome.filed;
        return reply.redirect(`${NEW_FOR_CALLER_PATH}?enregistree=${number}${created ? '' : '&deja=1'}`, 303);
      }
      return showForm(request, reply, requester.id, outcome, 422);
    },
  );
}
