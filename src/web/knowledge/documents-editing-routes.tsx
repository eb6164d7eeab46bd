/**
 * « Rédaction › Documents »: editors create, edit, preview, publish and unpublish documents and
 * add new versions of their file. Everyone else gets 403.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
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
import { requireArea, viewContext } from '../plugins/actor-gate.js';
import { readMultipart } from '../shared/multipart.js';
import { sendPage } from '../shared/render.js';
import { DocumentsListPage, EDIT_BASE, EditDocumentPage, NewDocumentPage } from './documents-editing-pages.js';
import { DocumentPage } from './documents-pages.js';
import { addEditingSection } from './editing-index.js';

type Params = { id: string };
type Body = Record<string, string | undefined>;

const DONE: Record<string, string> = {
  cree: 'Le document est enregistré en brouillon.',
  enregistre: 'Les informations du document sont enregistrées.',
  publie: 'Le document est publié.',
  depublie: 'Le document n’est plus publié.',
  version: 'La nouvelle version du fichier est enregistrée.',
};

/** Only the form's fields, as text (anything else sent is ignored). */
const fieldsOf = (body: Body | undefined): Record<string, string> =>
  Object.fromEntries(DOCUMENT_FIELDS.map((f) => [f, String(body?.[f] ?? '').slice(0, 5000)]));

export async function documentEditingRoutes(app: FastifyInstance) {
  const { db, config } = app.deps;
  const store = documentStore(config.dataDir);
  const gate = { preHandler: requireArea('editing') };
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

  const who = (request: FastifyRequest) => ({ actor: request.actor!, ip: request.ip });

  async function showEdit(
    request: FastifyRequest,
    reply: FastifyReply,
    forms: { form?: FormState; versionForm?: FormState },
    status = 200,
  ) {
    const id = Number((request.params as Params).id);
    const doc = await findDocument(db, request.actor, id);
    const values = await documentFormValues(db, id);
    if (!doc || !values) return reply.callNotFound();
    const [versions, refs, ctx] = await Promise.all([
      documentVersionsOf(db, id),
      getReferentials(db),
      viewContext(request, reply),
    ]);
    const done = DONE[(request.query as Record<string, string>)?.fait ?? ''];
    return sendPage(
      reply,
      <EditDocumentPage
        ctx={ctx}
        doc={doc}
        versions={versions}
        form={forms.form ?? emptyForm(values)}
        versionForm={forms.versionForm ?? emptyForm()}
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

  app.get<{ Params: Params }>(`${EDIT_BASE}/:id`, gate, (request, reply) => showEdit(request, reply, {}));

  app.post<{ Params: Params; Body: Body }>(`${EDIT_BASE}/:id`, gate, async (request, reply) => {
    const fields = fieldsOf(request.body);
    try {
      await updateDocument(db, who(request), Number(request.params.id), fields);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return showEdit(request, reply, { form: { values: fields, errors: error.fields } }, 422);
    }
    return reply.redirect(`${EDIT_BASE}/${request.params.id}?fait=enregistre`, 303);
  });

  app.post<{ Params: Params; Body: Body }>(`${EDIT_BASE}/:id/publication`, gate, async (request, reply) => {
    const published = request.body?.published === '1';
    await setDocumentPublished(db, who(request), Number(request.params.id), published);
    return reply.redirect(`${EDIT_BASE}/${request.params.id}?fait=${published ? 'publie' : 'depublie'}`, 303);
  });

  app.post<{ Params: Params }>(`${EDIT_BASE}/:id/versions`, multipartGate, async (request, reply) => {
    const { file, fileError } = await readForm(request, reply);
    try {
      if (fileError) throw new ValidationError({ file: fileError });
      await addDocumentVersion(db, who(request), Number(request.params.id), file);
    } catch (error) {
      if (file) await store.remove(file.storageKey);
      if (!(error instanceof ValidationError)) throw error;
      return showEdit(request, reply, { versionForm: { values: {}, errors: error.fields } }, 422);
    }
    return reply.redirect(`${EDIT_BASE}/${request.params.id}?fait=version`, 303);
  });

  app.get<{ Params: Params }>(`${EDIT_BASE}/:id/apercu`, gate, async (request, reply) => {
    const doc = await findDocument(db, request.actor, Number(request.params.id));
    if (!doc) return reply.callNotFound();
    const [versions, ctx] = await Promise.all([documentVersionsOf(db, doc.id), viewContext(request, reply)]);
    return sendPage(reply, <DocumentPage ctx={ctx} doc={doc} versions={versions} preview />);
  });
}
