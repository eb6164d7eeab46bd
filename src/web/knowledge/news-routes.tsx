/**
 * News: /actualites for readers (current and past items they may read) and the editors' pages
 * under /redaction/actualites (403 for anyone else). « Aperçu » saves nothing.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { transaction } from '../../db/client.js';
import { ValidationError } from '../../domain/errors.js';
import {
  getNews,
  listNewsForEditing,
  NEWS_FIELDS,
  type NewsFields,
  type NewsItem,
  type NewsRow,
  newsArchive,
  newsFieldsOf,
  parisDay,
  saveNews,
  setNewsPublished,
} from '../../domain/knowledge/news.js';
import type { FormState } from '../components/form.js';
import { actorOf, requireArea, viewContext } from '../plugins/actor-gate.js';
import { sendPage } from '../shared/render.js';
import { first, form, idParams, query, text, type ZodApp } from '../shared/schemas.js';
import { addEditingSection } from './editing-index.js';
import { NEWS_DONE, NEWS_EDIT_BASE, NewsEditingListPage, NewsFormPage } from './news-editing-pages.js';
import { NewsArchivePage } from './news-pages.js';

/** The item's form; « Enregistrer » and « Aperçu » send it with their `intent`. */
const newsForm = form({
  ...(Object.fromEntries(NEWS_FIELDS.map((f) => [f, text])) as Record<keyof NewsFields, typeof text>),
  intent: text,
});
type NewsBody = z.output<typeof newsForm>;
const publicationForm = form({ published: text });
/** « fait »: what was just done, for the notice. */
const doneQuery = query({ fait: first });

const fieldsOf = (body: NewsBody): NewsFields =>
  Object.fromEntries(NEWS_FIELDS.map((f) => [f, (body[f] ?? '').slice(0, f === 'body' ? 25_000 : 1000)])) as NewsFields;

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The typed item as the home page would show it. */
function previewOf(fields: NewsFields): NewsItem {
  const startsAt = DAY.test(fields.startsOn) ? parisDay(fields.startsOn) : new Date();
  const endsAt = DAY.test(fields.endsOn) ? new Date(parisDay(fields.endsOn).getTime() + 12 * 3600_000) : null;
  return { id: 0, title: fields.title.trim() || '(sans titre)', body: fields.body, startsAt, endsAt };
}

export async function newsRoutes(app: ZodApp) {
  const { db } = app.deps;
  const gate = { preValidation: requireArea('editing') };

  addEditingSection({
    order: 30,
    title: 'Actualités',
    href: NEWS_EDIT_BASE,
    newHref: `${NEWS_EDIT_BASE}/nouvelle`,
    newLabel: 'Nouvelle actualité',
    load: async (executor) =>
      (await listNewsForEditing(executor))
        .slice(0, 5)
        .map((r) => ({ title: r.title, href: `${NEWS_EDIT_BASE}/${r.id}`, published: r.published, updatedAt: r.updatedAt })),
  });

  app.get('/actualites', async (request, reply) => {
    const items = await newsArchive(db, request.actor);
    const ctx = await viewContext(request, reply);
    return sendPage(reply, <NewsArchivePage ctx={ctx} items={items} />);
  });

  async function showForm(
    request: FastifyRequest,
    reply: FastifyReply,
    form: FormState,
    options: { item?: NewsRow; preview?: boolean; status?: number; done?: string } = {},
  ) {
    const ctx = await viewContext(request, reply);
    const done = options.preview ? undefined : NEWS_DONE[options.done ?? ''];
    const preview = options.preview ? previewOf(form.values as NewsFields) : undefined;
    return sendPage(
      reply,
      <NewsFormPage ctx={ctx} form={form} item={options.item} preview={preview} done={done} />,
      options.status,
    );
  }

  async function submit(request: FastifyRequest, reply: FastifyReply, body: NewsBody, item?: NewsRow) {
    const fields = fieldsOf(body);
    if (body.intent === 'preview') return showForm(request, reply, { values: fields, errors: {} }, { item, preview: true });
    const who = { actorId: actorOf(request).id, ip: request.ip };
    let id: number;
    try {
      id = await transaction(db, (tx) => saveNews(tx, who, item?.id ?? null, fields));
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return showForm(request, reply, { values: fields, errors: error.fields }, { item, status: 422 });
    }
    return reply.redirect(`${NEWS_EDIT_BASE}/${id}?fait=${item ? 'enregistre' : 'cree'}`, 303);
  }

  app.get(NEWS_EDIT_BASE, { ...gate, schema: { querystring: doneQuery } }, async (request, reply) => {
    const rows = await listNewsForEditing(db);
    const ctx = await viewContext(request, reply);
    return sendPage(reply, <NewsEditingListPage ctx={ctx} rows={rows} done={NEWS_DONE[request.query.fait ?? '']} />);
  });

  app.get(`${NEWS_EDIT_BASE}/nouvelle`, { ...gate, schema: { querystring: doneQuery } }, (request, reply) =>
    showForm(request, reply, { values: { audience: 'users' }, errors: {} }, { done: request.query.fait }),
  );
  app.post(`${NEWS_EDIT_BASE}/nouvelle`, { ...gate, schema: { body: newsForm } }, (request, reply) =>
    submit(request, reply, request.body),
  );

  const shown = { ...gate, schema: { params: idParams, querystring: doneQuery } };
  app.get(`${NEWS_EDIT_BASE}/:id`, shown, async (request, reply) => {
    const item = await getNews(db, request.params.id);
    return showForm(request, reply, { values: newsFieldsOf(item), errors: {} }, { item, done: request.query.fait });
  });
  app.post(`${NEWS_EDIT_BASE}/:id`, { ...gate, schema: { params: idParams, body: newsForm } }, async (request, reply) =>
    submit(request, reply, request.body, await getNews(db, request.params.id)),
  );

  const publication = { ...gate, schema: { params: idParams, body: publicationForm } };
  app.post(`${NEWS_EDIT_BASE}/:id/publication`, publication, async (request, reply) => {
    const item = await getNews(db, request.params.id);
    const published = request.body.published === 'true';
    const who = { actorId: actorOf(request).id, ip: request.ip };
    await transaction(db, (tx) => setNewsPublished(tx, who, item.id, published));
    return reply.redirect(`${NEWS_EDIT_BASE}/${item.id}?fait=${published ? 'publie' : 'depublie'}`, 303);
  });
}
