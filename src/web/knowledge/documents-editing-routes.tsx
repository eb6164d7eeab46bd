/**
 * « Rédaction › Documents »: editors create, edit, preview, publish and unpublish documents and
 * add new versions of their file. Everyone else gets 403.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ValidationError } from '../../domain/errors.js';
import {
  addDocumentVersion,
  createDocument,
  DOCUMENT_FIELDS,
  setDocumentPublished,
  updateDocument,
} from '../../domain/knowledge/documents.js';
import { documentStore, saveDocumentFile } from '../../domain/knowledge/documents-files.js';
import {
  documentFormValues,
  documentsForEditors,
  documentVersionsOf,
  findDocument,
} from '../../domain/knowledge/documents-queries.js';
import { getReferentials } from '../../domain/referentials/referentials.js';
import { emptyForm, type FormState } from '../components/form.js';
import { actorOf, requireArea, viewContext } from '../plugins/actor-gate.js';
import { readMultipart } from '../shared/multipart.js';
import { sendPage } from '../shared/render.js';
import { first, form, idParams, query, text, type ZodApp } from '../shared/schemas.js';
import { DocumentsListPage, EDIT_BASE, EditDocumentPage, NewDocumentPage } from './documents-editing-pages.js';
import { DocumentPage } from './documents-pages.js';
import { addEditingSection } from './editing-index.js';

type DocumentField = (typeof DOCUMENT_FIELDS)[number];

/** The information form (the file comes by the multipart forms). */
const documentForm = form(Object.fromEntries(DOCUMENT_FIELDS.map((f) => [f, text])) as Record<DocumentField, typeof text>);
const publicationForm = form({ published: text });
/** « fait »: what was just done, for the notice. */
const doneQuery = query({ fait: first });

const DONE: Record<string, string> = {
  cree: 'Le document est enregistré en brouillon.',
  enregistre: 'Les informations du document sont enregistrées.',
  publie: 'Le document est publié.',
  depublie: 'Le document n’est plus publié.',
  version: 'La nouvelle version du fichier est enregistrée.',
};

/** Only the form's fields, as text (anything else sent is ignored). */
const fieldsOf = (body: Partial<Record<DocumentField, string>>): Record<string, string> =>
  Object.fromEntries(DOCUMENT_FIELDS.map((f) => [f, (body[f] ?? '').slice(0, 5000)]));

export async function documentEditingRoutes(app: ZodApp) {
  const { db, config } = app.deps;
  const store = documentStore(config.dataDir);
  const gate = { preValidation: requireArea('editing') };
  const multipartGate = { ...gate, config: { multipartForm: true } };

  addEditingSection({
    order: 10,
    title: 'Documents',
    href: EDIT_BASE,
    newHref: `${EDIT_BASE}/nouveau`,
    newLabel: 'Nouveau document',
    load: async (executor) =>
      (await documentsForEditors(executor, 10)).map((d) => ({
        title: d.title,
        href: `${EDIT_BASE}/${d.id}`,
        published: d.published,
        updatedAt: d.updatedAt,
        detail: [d.applicationName, d.themeName].filter(Boolean).join(' › '),
      })),
  });

  /** The form's fields and at most one file, streamed to the documents' store. */
  async function readForm(request: FastifyRequest, reply: FastifyReply) {
    const { fields, files, fileError } = await readMultipart(request, reply, {
      maxFiles: 1,
      fileField: 'file',
      save: (stream, name) => saveDocumentFile(store, stream, name, config.upload.maxFileBytes),
    });
    return { fields: fieldsOf(fields), file: files[0] ?? null, fileError };
  }

  const who = (request: FastifyRequest) => ({ actor: actorOf(request), ip: request.ip });

  /** The edit page; `done` is the query's « fait » after a change, `form` or `versionForm` a refused one. */
  async function showEdit(
    request: FastifyRequest,
    reply: FastifyReply,
    id: number,
    shown: { form?: FormState; versionForm?: FormState; done?: string },
    status = 200,
  ) {
    const doc = await findDocument(db, actorOf(request), id);
    const values = await documentFormValues(db, id);
    if (!doc || !values) return reply.callNotFound();
    const [versions, refs, ctx] = await Promise.all([
      documentVersionsOf(db, id),
      getReferentials(db),
      viewContext(request, reply),
    ]);
    const done = DONE[shown.done ?? ''];
    return sendPage(
      reply,
      <EditDocumentPage
        ctx={ctx}
        doc={doc}
        versions={versions}
        form={shown.form ?? emptyForm(values)}
        versionForm={shown.versionForm ?? emptyForm()}
        refs={refs}
        done={done}
        maxFileBytes={config.upload.maxFileBytes}
      />,
      status,
    );
  }

  app.get(EDIT_BASE, gate, async (request, reply) => {
    const docs = await documentsForEditors(db);
    const ctx = await viewContext(request, reply);
    return sendPage(reply, <DocumentsListPage ctx={ctx} docs={docs} />);
  });

  app.get(`${EDIT_BASE}/nouveau`, gate, async (request, reply) => {
    const [ctx, refs] = await Promise.all([viewContext(request, reply), getReferentials(db)]);
    return sendPage(reply, <NewDocumentPage ctx={ctx} form={emptyForm({ audience: 'users' })} refs={refs} />);
  });

  app.post(`${EDIT_BASE}/nouveau`, multipartGate, async (request, reply) => {
    const { fields, file, fileError } = await readForm(request, reply);
    try {
      if (fileError) throw new ValidationError({ file: fileError });
      const id = await createDocument(db, who(request), fields, file);
      return reply.redirect(`${EDIT_BASE}/${id}?fait=cree`, 303);
    } catch (error) {
      // Nothing was written: the file goes too.
      if (file) await store.remove(file.storageKey);
      if (!(error instanceof ValidationError)) throw error;
      const errors = { ...error.fields, ...(fileError ? { file: fileError } : {}) };
      const [ctx, refs] = await Promise.all([viewContext(request, reply), getReferentials(db)]);
      return sendPage(reply, <NewDocumentPage ctx={ctx} form={{ values: fields, errors }} refs={refs} />, 422);
    }
  });

  const shown = { ...gate, schema: { params: idParams, querystring: doneQuery } };
  app.get(`${EDIT_BASE}/:id`, shown, (request, reply) =>
    showEdit(request, reply, request.params.id, { done: request.query.fait }),
  );

  app.post(`${EDIT_BASE}/:id`, { ...gate, schema: { params: idParams, body: documentForm } }, async (request, reply) => {
    const { id } = request.params;
    const fields = fieldsOf(request.body);
    try {
      await updateDocument(db, who(request), id, fields);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return showEdit(request, reply, id, { form: { values: fields, errors: error.fields } }, 422);
    }
    return reply.redirect(`${EDIT_BASE}/${id}?fait=enregistre`, 303);
  });

  const publication = { ...gate, schema: { params: idParams, body: publicationForm } };
  app.post(`${EDIT_BASE}/:id/publication`, publication, async (request, reply) => {
    const { id } = request.params;
    const published = request.body.published === '1';
    await setDocumentPublished(db, who(request), id, published);
    return reply.redirect(`${EDIT_BASE}/${id}?fait=${published ? 'publie' : 'depublie'}`, 303);
  });

  app.post(`${EDIT_BASE}/:id/versions`, { ...multipartGate, schema: { params: idParams } }, async (request, reply) => {
    const { id } = request.params;
    const { file, fileError } = await readForm(request, reply);
    try {
      if (fileError) throw new ValidationError({ file: fileError });
      await addDocumentVersion(db, who(request), id, file);
    } catch (error) {
      if (file) await store.remove(file.storageKey);
      if (!(error instanceof ValidationError)) throw error;
      return showEdit(request, reply, id, { versionForm: { values: {}, errors: error.fields } }, 422);
    }
    return reply.redirect(`${EDIT_BASE}/${id}?fait=version`, 303);
  });

  app.get(`${EDIT_BASE}/:id/apercu`, { ...gate, schema: { params: idParams } }, async (request, reply) => {
    const doc = await findDocument(db, actorOf(request), request.params.id);
    if (!doc) return reply.callNotFound();
    const [versions, ctx] = await Promise.all([documentVersionsOf(db, doc.id), viewContext(request, reply)]);
    return sendPage(reply, <DocumentPage ctx={ctx} doc={doc} versions={versions} preview />);
  });
}
