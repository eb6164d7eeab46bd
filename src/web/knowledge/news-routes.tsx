/**
 * News: /actualites for readers (current and past items they may read) and the editors' pages
 * under /redaction/actualites (403 for anyone else). « Aperçu » saves nothing.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
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
import { requireArea, viewContext } from '../plugins/actor-gate.js';
import { sendPage } from '../shared/render.js';
import { addEditingSection } from './editing-index.js';
import { NEWS_DONE, NEWS_EDIT_BASE, NewsEditingListPage, NewsFormPage } from './news-editing-pages.js';
import { NewsArchivePage } from './news-pages.js';

type Body = Record<string, string | undefined>;

const fieldsOf = (body: Body | undefined): NewsFields =>
  Object.fromEntries(NEWS_FIELDS.map((f) => [f, String(body?.[f] ?? '').slice(0, f === 'body' ? 25_000 : 1000)])) as NewsFields;

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The typed item as the home page would show it. */
function previewOf(fields: NewsFields): NewsItem {
  const startsAt = DAY.test(fields.startsOn) ? parisDay(fields.startsOn) : new Date();
  const endsAt = DAY.test(fields.endsOn) ? new Date(parisDay(fields.endsOn).getTime() + 12 * 3600_000) : null;
  return { id: 0, title: fields.title.trim() || '(sans titre)', body: fields.body, startsAt, endsAt };
}

export async function newsRoutes(app: FastifyInstance) {
  const { db } = app.deps;
  const gate = { preHandler: requireArea('editing') };

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
    options: { item?: NewsRow; preview?: boolean; status?: number } = {},
  ) {
    const ctx = await viewContext(request, reply);
    const done = options.preview ? undefined : NEWS_DONE[(request.query as Record<string, string>)?.fait ?? ''];
    const preview = options.preview ? previewOf(form.values as NewsFields) : undefined;
    return sendPage(
      reply,
      <NewsFormPage ctx={ctx} form={form} item={options.item} preview={preview} done={done} />,
      options.status,
    );
  }

  async function submit(request: FastifyRequest<{ Body: Body }>, reply: FastifyReply, item?: NewsRow) {
    const fields = fieldsOf(request.body);
    if (request.body?.intent === 'preview')
      return showForm(request, reply, { values: fields, errors: {} }, { item, preview: true });
    let id: number;
    try {
      id = await transaction(db, (tx) => saveNews(tx, { actorId: request.actor!.id, ip: request.ip }, item?.id ?? null, fields));
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return showForm(request, reply, { values: fields, errors: error.fields }, { item, status: 422 });
    }
    return reply.redirect(`${NEWS_EDIT_BASE}/${id}?fait=${item ? 'enregistre' : 'cree'}`, 303);
  }

  app.get<{ Querystring: { fait?: string } }>(NEWS_EDIT_BASE, gate, async (request, reply) => {
    const rows = await listNewsForEditing(db);
    const ctx = await viewContext(request, reply);
    return sendPage(reply, <NewsEditingListPage ctx={ctx} rows={rows} done={NEWS_DONE[request.query.fait ?? '']} />);
  });

  app.get(`${NEWS_EDIT_BASE}/nouvelle`, gate, (request, reply) =>
    showForm(request, reply, { values: { audience: 'users' }, errors: {} }),
  );
  app.post<{ Body: Body }>(`${NEWS_EDIT_BASE}/nouvelle`, gate, (request, reply) => submit(request, reply));

  app.get<{ Params: { id: string } }>(`${NEWS_EDIT_BASE}/:id`, gate, async (request, reply) => {
    const item = await getNews(db, Number(request.params.id));
    return showForm(request, reply, { values: newsFieldsOf(item), errors: {} }, { item });
  });
  app.post<{ Params: { id: string }; Body: Body }>(`${NEWS_EDIT_BASE}/:id`, gate, async (request, reply) =>
    submit(request, reply, await getNews(db, Number(request.params.id))),
  );

  app.post<{ Params: { id: string }; Body: Body }>(`${NEWS_EDIT_BASE}/:id/publication`, gate, async (request, reply) => {
    const item = await getNews(db, Number(request.params.id));
    const published = request.body?.published === 'true';
    await transaction(db, (tx) => setNewsPublished(tx, { actorId: request.actor!.id, ip: request.ip }, item.id, published));
    return reply.redirect(`${NEWS_EDIT_BASE}/${item.id}?fait=${published ? 'publie' : 'depublie'}`, 303);
  });
}
