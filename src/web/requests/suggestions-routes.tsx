/**
 * Suggestions before filing: the fragment the script asks for while the person types, the link
 * that records an opened suggestion, and the helpers of the requester's form (the step without
 * JavaScript, the record of a filed request). A suggestion's record never makes filing fail.
 */
import type { FastifyRequest } from 'fastify';
import { renderToString } from 'preact-render-to-string';
import type { Actor } from '../../domain/actor.js';
import {
  type OpenedItem,
  recordFiled,
  recordOpened,
  recordShown,
  type Suggestion,
  type SuggestionQuery,
  suggestedItemUrl,
  suggestionsFor,
  wereShown,
} from '../../domain/knowledge/suggestions.js';
import type { NewRequestInput } from '../../domain/requests/input.js';
import { actorOf, requireArea } from '../plugins/actor-gate.js';
import { query, text, type ZodApp } from '../shared/schemas.js';
import { SuggestionsPanel, type SuggestionsState } from './suggestions-panel.js';

/** Records and suggestions are a help: when they fail, the form goes on without them. */
async function quietly<T>(request: FastifyRequest, fallback: T, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    request.log.warn({ err: error }, 'suggestions unavailable');
    return fallback;
  }
}

const numberOrNull = (value: unknown) => {
  const n = Number(value);
  return value !== '' && Number.isSafeInteger(n) && n > 0 ? n : null;
};

/** The description's beginning is enough to weigh in (and keeps the address of the fragment short). */
const DESCRIPTION_CHARS = 500;

/** The question of a form: its subject, the application and theme chosen, the description's beginning. */
export const queryOf = (fields: Record<string, string | undefined>): SuggestionQuery => ({
  subject: String(fields.subject ?? '').slice(0, 200),
  applicationId: numberOrNull(fields.applicationId),
  themeId: numberOrNull(fields.themeId),
  description: String(fields.description ?? '').slice(0, DESCRIPTION_CHARS),
});

/**
 * The step without JavaScript, as a hold of the filing: a valid form whose subject has suggestions
 * not yet shown with this form (nor seen while typing) is sent back with them, nothing saved.
 */
export function suggestionHold(request: FastifyRequest, held: { items: Suggestion[] }) {
  const { db } = request.server.deps;
  const actor = actorOf(request);
  return (input: NewRequestInput, fields: Record<string, string>, token: string) =>
    quietly(request, false, async () => {
      if (fields.suggestionsShown === '1' || (await wereShown(db, token))) return false;
      held.items = await suggestionsFor(db, actor, {
        subject: input.subject,
        applicationId: input.applicationId,
        themeId: input.themeId,
        description: input.description.slice(0, DESCRIPTION_CHARS),
      });
      return held.items.length > 0;
    });
}

/** The suggestions shown with a form sent back (the step, or a refused form), recorded as shown. */
export async function suggestionsShown(
  request: FastifyRequest,
  token: string,
  fields: Record<string, string>,
  held: { items: Suggestion[] } | null,
): Promise<SuggestionsState> {
  const { db } = request.server.deps;
  const actor = actorOf(request);
  const query = queryOf(fields);
  const items = held ? held.items : await quietly(request, [], () => suggestionsFor(db, actor, query));
  await quietly(request, undefined, () => recordShown(db, actor, token, query, items));
  return { items, step: held !== null };
}

/** After the filing's commit: the request follows the suggestions shown with its form. */
export function recordFiledQuietly(request: FastifyRequest, actor: Actor, token: string, requestId: number) {
  return quietly(request, undefined, () => recordFiled(request.server.deps.db, actor, token, requestId));
}

const ITEM_TYPES = new Set(['faq', 'document']);

export async function suggestionRoutes(app: ZodApp) {
  const { db } = app.deps;

  const suggest = query({ objet: text, application: text, theme: text, description: text, jeton: text });
  app.get(
    '/demandes/suggestions',
    { preValidation: requireArea('fileRequest'), schema: { querystring: suggest } },
    async (request, reply) => {
      const actor = actorOf(request);
      const { objet, application, theme, description } = request.query;
      const question = queryOf({ subject: objet, applicationId: application, themeId: theme, description });
      const token = request.query.jeton ?? '';
      const items = await quietly(request, [], () => suggestionsFor(db, actor, question));
      await quietly(request, undefined, () => recordShown(db, actor, token, question, items));
      const html = items.length ? renderToString(<SuggestionsPanel token={token} items={items} />) : '';
      return reply.header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-store').send(html);
    },
  );

  const open = query({ type: text, id: text, jeton: text });
  app.get(
    '/suggestions/ouvrir',
    { preValidation: requireArea('portal'), schema: { querystring: open } },
    async (request, reply) => {
      const actor = actorOf(request);
      const { type, id, jeton } = request.query;
      if (!ITEM_TYPES.has(type ?? '')) return reply.callNotFound();
      const item = { type, id: Number(id) } as OpenedItem;
      const url = await suggestedItemUrl(db, actor, item);
      if (!url) return reply.callNotFound();
      await quietly(request, undefined, () => recordOpened(db, actor, jeton, item));
      return reply.redirect(url, 303);
    },
  );
}
