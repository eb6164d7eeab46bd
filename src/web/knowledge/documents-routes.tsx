/**
 * Reading the « Base documentaire »: browsing, a document's page and its files. Anyone may come;
 * each query keeps to what the visitor may read, and anything else is the same 404.
 */
import type { FastifyReply } from 'fastify';
import { installDemoFiles } from '../../db/seed/documents-files.js';
import { documentStore, documentStoreRoot } from '../../domain/knowledge/documents-files.js';
import {
  browseDocuments,
  documentVersionsOf,
  faqLinesFor,
  findDocument,
  findDocumentFile,
} from '../../domain/knowledge/documents-queries.js';
import { getReferentials } from '../../domain/referentials/referentials.js';
import { viewContext } from '../plugins/actor-gate.js';
import { sendPage } from '../shared/render.js';
import { first, idParams, query, serialParam, type ZodApp } from '../shared/schemas.js';
import { BASE, BrowsePage, DocumentPage } from './documents-pages.js';

/** Content-Disposition with the original name, safe for any character. */
function contentDisposition(name: string) {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

const browseQuery = query({ application: first, theme: first });
const versionParams = idParams.extend({ version: serialParam });

export async function documentRoutes(app: ZodApp) {
  const { db, config } = app.deps;
  const store = documentStore(config.dataDir);
  // Demonstration data copied without its files (the tests' template database) gets them back.
  // A database out of reach at start must not stop the portal: it answers 503 until it is back.
  await installDemoFiles(db, documentStoreRoot(config.dataDir)).catch((error: unknown) =>
    app.log.warn({ err: error }, 'demonstration documents not installed'),
  );

  app.get(BASE, { schema: { querystring: browseQuery } }, async (request, reply) => {
    const actor = request.actor;
    const refs = await getReferentials(db);
    const current = refs.applications.find((a) => String(a.id) === request.query.application);
    const themes = current ? refs.themes.filter((t) => t.applicationId === current.id) : [];
    const theme = themes.find((t) => String(t.id) === request.query.theme);
    const [docs, faq] = current
      ? await Promise.all([
          browseDocuments(db, actor, { applicationId: current.id, themeId: theme?.id }),
          faqLinesFor(db, actor, current.id, theme?.id),
        ])
      : [[], []];
    const ctx = await viewContext(request, reply);
    return sendPage(reply, <BrowsePage ctx={ctx} data={{ apps: refs.applications, themes, current, theme, docs, faq }} />);
  });

  app.get(`${BASE}/documents/:id`, { schema: { params: idParams } }, async (request, reply) => {
    const doc = await findDocument(db, request.actor, request.params.id);
    if (!doc) return reply.callNotFound();
    const versions = await documentVersionsOf(db, doc.id);
    const ctx = await viewContext(request, reply);
    return sendPage(reply, <DocumentPage ctx={ctx} doc={doc} versions={versions} />);
  });

  const sendFile = async (reply: FastifyReply, file: Awaited<ReturnType<typeof findDocumentFile>>) => {
    const stream = file && (await store.openIfPresent(file.storageKey));
    if (!file || !stream) return reply.callNotFound();
    // Always a download: browsers refuse to show a PDF inside the sandbox that keeps a file harmless.
    return reply
      .header('content-type', file.mediaType)
      .header('content-length', String(file.sizeBytes))
      .header('content-disposition', contentDisposition(file.originalName))
      .header('content-security-policy', "default-src 'none'; sandbox")
      .header('cache-control', 'private, no-store')
      .send(stream);
  };

  app.get(`${BASE}/documents/:id/fichier`, { schema: { params: idParams } }, async (request, reply) =>
    sendFile(reply, await findDocumentFile(db, request.actor, request.params.id)),
  );

  const version = { schema: { params: versionParams } };
  app.get(`${BASE}/documents/:id/versions/:version`, version, async (request, reply) =>
    sendFile(reply, await findDocumentFile(db, request.actor, request.params.id, request.params.version)),
  );
}
