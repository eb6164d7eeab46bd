/**
 * Editing the FAQ under /redaction/faq: editors only (403 otherwise). « Aperçu » is a POST that
 * shows the typed entry as readers would see it, above the form, and saves nothing.
 */

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { transaction } from '../../db/client.js';
import { ValidationError } from '../../domain/errors.js';
import { faqLabel } from '../../domain/knowledge/faq.js';
import {
  documentChoices,
  FAQ_FIELDS,
  type FaqFields,
  type FaqForEditing,
  faqFieldsOf,
  getFaqForEditing,
  listFaqForEditing,
  nextFaqNumber,
  recentFaqForEditing,
  saveFaq,
  setFaqPublished,
} from '../../domain/knowledge/faq-editing.js';
import { getReferentials, type Referentials } from '../../domain/referentials/referentials.js';
import type { FormState } from '../components/form.js';
import { requireArea, viewContext } from '../plugins/actor-gate.js';
import { sendPage } from '../shared/render.js';
import { addEditingSection } from './editing-index.js';
import { FAQ_DONE, FAQ_EDIT_BASE, FaqEditingListPage, FaqFormPage } from './faq-editing-pages.js';
import type { FaqView } from './faq-pages.js';

type Body = Record<string, string | string[] | undefined>;

/** Only the form's fields, as text; ticked documents come as several values. */
function fieldsOf(body: Body | undefined): FaqFields {
  const text = (name: string, max = 1000) => {
    const v = body?.[name];
    return (Array.isArray(v) ? v.join(',') : String(v ?? '')).slice(0, max);
  };
  const fields = Object.fromEntries(FAQ_FIELDS.map((f) => [f, text(f)])) as FaqFields;
  return { ...fields, body: text('body', 60_000), audience: text('audience') || '' };
}

type Choices = Awaited<ReturnType<typeof documentChoices>>;

/** The typed entry as readers would see it. */
function previewOf(fields: FaqFields, refs: Referentials, documents: Choices, nextNumber: number): FaqView {
  const applicationId = Number(fields.applicationId) || null;
  const chosen = new Set(fields.documentIds.split(','));
  return {
    number: /^\d{1,6}$/.test(fields.number.trim()) ? Number(fields.number) : nextNumber,
    title: fields.title.trim() || '(sans titre)',
    body: fields.body,
    applicationId,
    applicationName: refs.applications.find((a) => a.id === applicationId)?.name ?? null,
    themeName: refs.themes.find((t) => String(t.id) === fields.themeId)?.name ?? null,
    publishedAt: null,
    documents: documents
      .filter((d) => chosen.has(String(d.id)))
      .map((d) => ({ id: d.id, title: d.title, mediaType: null, sizeBytes: null })),
  };
}

export async function faqEditingRoutes(app: FastifyInstance) {
  const { db } = app.deps;
  const gate = { preHandler: requireArea('editing') };

  addEditingSection({
    order: 20,
    title: 'F.A.Q.',
    href: FAQ_EDIT_BASE,
    newHref: `${FAQ_EDIT_BASE}/nouvelle`,
    newLabel: 'Nouvelle question',
    load: async (executor) =>
      (await recentFaqForEditing(executor)).map((r) => ({
        title: faqLabel(r),
        href: `${FAQ_EDIT_BASE}/${r.id}`,
        published: r.published,
        updatedAt: r.updatedAt,
      })),
  });

  async function showForm(
    request: FastifyRequest,
    reply: FastifyReply,
    form: FormState,
    options: { entry?: FaqForEditing; preview?: boolean; status?: number } = {},
  ) {
    const [ctx, refs, documents, nextNumber] = await Promise.all([
      viewContext(request, reply),
      getReferentials(db),
      documentChoices(db),
      nextFaqNumber(db),
    ]);
    const done = FAQ_DONE[(request.query as Record<string, string>)?.fait ?? ''];
    const fallbackNumber = options.entry?.number ?? nextNumber;
    const preview = options.preview ? previewOf(form.values as FaqFields, refs, documents, fallbackNumber) : undefined;
    return sendPage(
      reply,
      <FaqFormPage
        ctx={ctx}
        form={form}
        refs={refs}
        documents={documents}
        nextNumber={nextNumber}
        entry={options.entry}
        preview={preview}
        done={preview ? undefined : done}
      />,
      options.status,
    );
  }

  /** Saves or previews the typed entry; a refused one comes back with its errors and what was typed. */
  async function submit(request: FastifyRequest<{ Body: Body }>, reply: FastifyReply, entry?: FaqForEditing) {
    const fields = fieldsOf(request.body);
    if (request.body?.intent === 'preview')
      return showForm(request, reply, { values: fields, errors: {} }, { entry, preview: true });
    let id: number;
    try {
      id = await transaction(db, (tx) => saveFaq(tx, { actorId: request.actor!.id, ip: request.ip }, entry?.id ?? null, fields));
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return showForm(request, reply, { values: fields, errors: error.fields }, { entry, status: 422 });
    }
    return reply.redirect(`${FAQ_EDIT_BASE}/${id}?fait=${entry ? 'enregistre' : 'cree'}`, 303);
  }

  app.get<{ Querystring: { fait?: string } }>(FAQ_EDIT_BASE, gate, async (request, reply) => {
    const rows = await listFaqForEditing(db);
    const ctx = await viewContext(request, reply);
    return sendPage(reply, <FaqEditingListPage ctx={ctx} rows={rows} done={FAQ_DONE[request.query.fait ?? '']} />);
  });

  app.get(`${FAQ_EDIT_BASE}/nouvelle`, gate, (request, reply) =>
    showForm(request, reply, { values: { audience: 'users' }, errors: {} }),
  );
  app.post<{ Body: Body }>(`${FAQ_EDIT_BASE}/nouvelle`, gate, (request, reply) => submit(request, reply));

  app.get<{ Params: { id: string } }>(`${FAQ_EDIT_BASE}/:id`, gate, async (request, reply) => {
    const entry = await getFaqForEditing(db, Number(request.params.id));
    return showForm(request, reply, { values: faqFieldsOf(entry), errors: {} }, { entry });
  });
  app.post<{ Params: { id: string }; Body: Body }>(`${FAQ_EDIT_BASE}/:id`, gate, async (request, reply) =>
    submit(request, reply, await getFaqForEditing(db, Number(request.params.id))),
  );

  app.post<{ Params: { id: string }; Body: Body }>(`${FAQ_EDIT_BASE}/:id/publication`, gate, async (request, reply) => {
    const entry = await getFaqForEditing(db, Number(request.params.id));
    const published = request.body?.published === 'true';
    await transaction(db, (tx) => setFaqPublished(tx, { actorId: request.actor!.id, ip: request.ip }, entry.id, published));
    return reply.redirect(`${FAQ_EDIT_BASE}/${entry.id}?fait=${published ? 'publie' : 'depublie'}`, 303);
  });
}
