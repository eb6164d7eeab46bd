/**
 * Editing the FAQ under /redaction/faq: editors only (403 otherwise). « Aperçu » is a POST that
 * shows the typed entry as readers would see it, above the form, and saves nothing.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
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
import { actorOf, requireArea, viewContext } from '../plugins/actor-gate.js';
import { sendPage } from '../shared/render.js';
import { first, form, idParams, list, query, text, type ZodApp } from '../shared/schemas.js';
import { addEditingSection } from './editing-index.js';
import { FAQ_DONE, FAQ_EDIT_BASE, FaqEditingListPage, FaqFormPage } from './faq-editing-pages.js';
import type { FaqView } from './faq-pages.js';

/** The entry's form; « Enregistrer » and « Aperçu » send it with their `intent`. */
const faqForm = form({
  ...(Object.fromEntries(FAQ_FIELDS.map((f) => [f, text])) as Record<keyof FaqFields, typeof text>),
  // Ticked documents come as several values.
  documentIds: list,
  intent: text,
});
type FaqBody = z.output<typeof faqForm>;
const publicationForm = form({ published: text });
/** « fait »: what was just done, for the notice. */
const doneQuery = query({ fait: first });

/** Only the form's fields, as text; the ticked documents as one list, comma-separated. */
function fieldsOf(body: FaqBody): FaqFields {
  const text = (name: keyof FaqFields, max = 1000) => {
    const v = body[name];
    return (Array.isArray(v) ? v.join(',') : (v ?? '')).slice(0, max);
  };
  const fields = Object.fromEntries(FAQ_FIELDS.map((f) => [f, text(f)])) as FaqFields;
  return { ...fields, body: text('body', 60_000) };
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

export async function faqEditingRoutes(app: ZodApp) {
  const { db } = app.deps;
  const gate = { preValidation: requireArea('editing') };

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
    options: { entry?: FaqForEditing; preview?: boolean; status?: number; done?: string } = {},
  ) {
    const [ctx, refs, documents, nextNumber] = await Promise.all([
      viewContext(request, reply),
      getReferentials(db),
      documentChoices(db),
      nextFaqNumber(db),
    ]);
    const done = FAQ_DONE[options.done ?? ''];
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
  async function submit(request: FastifyRequest, reply: FastifyReply, body: FaqBody, entry?: FaqForEditing) {
    const fields = fieldsOf(body);
    if (body.intent === 'preview') return showForm(request, reply, { values: fields, errors: {} }, { entry, preview: true });
    const who = { actorId: actorOf(request).id, ip: request.ip };
    let id: number;
    try {
      id = await transaction(db, (tx) => saveFaq(tx, who, entry?.id ?? null, fields));
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return showForm(request, reply, { values: fields, errors: error.fields }, { entry, status: 422 });
    }
    return reply.redirect(`${FAQ_EDIT_BASE}/${id}?fait=${entry ? 'enregistre' : 'cree'}`, 303);
  }

  app.get(FAQ_EDIT_BASE, { ...gate, schema: { querystring: doneQuery } }, async (request, reply) => {
    const rows = await listFaqForEditing(db);
    const ctx = await viewContext(request, reply);
    return sendPage(reply, <FaqEditingListPage ctx={ctx} rows={rows} done={FAQ_DONE[request.query.fait ?? '']} />);
  });

  app.get(`${FAQ_EDIT_BASE}/nouvelle`, { ...gate, schema: { querystring: doneQuery } }, (request, reply) =>
    showForm(request, reply, { values: { audience: 'users' }, errors: {} }, { done: request.query.fait }),
  );
  app.post(`${FAQ_EDIT_BASE}/nouvelle`, { ...gate, schema: { body: faqForm } }, (request, reply) =>
    submit(request, reply, request.body),
  );

  const shown = { ...gate, schema: { params: idParams, querystring: doneQuery } };
  app.get(`${FAQ_EDIT_BASE}/:id`, shown, async (request, reply) => {
    const entry = await getFaqForEditing(db, request.params.id);
    return showForm(request, reply, { values: faqFieldsOf(entry), errors: {} }, { entry, done: request.query.fait });
  });
  app.post(`${FAQ_EDIT_BASE}/:id`, { ...gate, schema: { params: idParams, body: faqForm } }, async (request, reply) =>
    submit(request, reply, request.body, await getFaqForEditing(db, request.params.id)),
  );

  const publication = { ...gate, schema: { params: idParams, body: publicationForm } };
  app.post(`${FAQ_EDIT_BASE}/:id/publication`, publication, async (request, reply) => {
    const entry = await getFaqForEditing(db, request.params.id);
    const published = request.body.published === 'true';
    const who = { actorId: actorOf(request).id, ip: request.ip };
    await transaction(db, (tx) => setFaqPublished(tx, who, entry.id, published));
    return reply.redirect(`${FAQ_EDIT_BASE}/${entry.id}?fait=${published ? 'publie' : 'depublie'}`, 303);
  });
}
