import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { transaction } from '../../db/client.js';
import { dropUnkept, FORM_TOKEN, listStaged, stageFiles } from '../../domain/attachments/staging.js';
import { ValidationError } from '../../domain/errors.js';
import { latestFaq, latestNews } from '../../domain/knowledge/queries.js';
import { mailContextOf } from '../../domain/notifications/request-notifications.js';
import { getReferentials } from '../../domain/referentials/referentials.js';
import { fileRequest } from '../../domain/requests/commands/file-request.js';
import { parseNewRequest } from '../../domain/requests/input.js';
import { findDownload, listRequests } from '../../domain/requests/queries.js';
import { requireArea, viewContext } from '../auth/gate.js';
import { emptyForm } from '../components/form.js';
import { readMultipart } from '../multipart.js';
import { sendPage } from '../render.js';
import { HomePage } from './home-page.js';
import { myRequestsRoutes } from './my-requests-routes.js';
import { NewRequestPage } from './new-request-page.js';
import { requestRoutes } from './request-routes.js';
import { satisfactionRoutes } from './satisfaction-routes.js';

export const newFormToken = () => randomBytes(16).toString('base64url');

export async function portalRoutes(app: FastifyInstance) {
  const { db, config } = app.deps;

  app.get('/', { preHandler: requireArea('portal') }, async (request, reply) => {
    const actor = request.actor!;
    const refs = await getReferentials(db);
    const [news, faq, latest] = await Promise.all([
      latestNews(db),
      latestFaq(db),
      listRequests(db, actor, {}, { limit: 5, mine: actor.role === 'requester' }),
    ]);
    const ctx = await viewContext(request, reply);
    const data = { applications: refs.applications.map((a) => a.name), news, faq, latest: latest.rows };
    return sendPage(reply, <HomePage ctx={ctx} data={data} />);
  });

  app.get('/demandes/nouvelle', { preHandler: requireArea('fileRequest') }, async (request, reply) => {
    const ctx = await viewContext(request, reply);
    const refs = await getReferentials(db);
    return sendPage(
      reply,
      <NewRequestPage ctx={ctx} refs={refs} form={emptyForm()} token={newFormToken()} staged={[]} limits={config.upload} />,
    );
  });

  app.post('/demandes/nouvelle', { preHandler: requireArea('fileRequest') }, async (request, reply) => {
    const actor = request.actor!;
    const form = await readMultipart(request, config.upload.maxFiles);
    const token = FORM_TOKEN.test(form.fields.token ?? '') ? form.fields.token! : newFormToken();
    const refs = await getReferentials(db);
    const keep = (form.lists.keepFile ?? []).map(Number).filter(Number.isInteger);
    let errors: Record<string, string> = {};
    let input: ReturnType<typeof parseNewRequest> | null = null;
    try {
      input = parseNewRequest(form.fields, refs);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      errors = error.fields;
    }
    if (form.fileError) errors.files = form.fileError;
    const staged = await listStaged(db, actor.id, token);
    if (keep.length + form.files.length > config.upload.maxFiles && staged.length) {
      errors.files ??= `Vous pouvez joindre ${config.upload.maxFiles} fichiers au plus.`;
    }
    const ok = input && Object.keys(errors).length === 0;
    const removed = await transaction(db, async (tx) => {
      const dropped = staged.length ? await dropUnkept(tx, actor.id, token, keep) : [];
      await stageFiles(tx, actor.id, token, form.files);
      if (ok && input) {
        const created = await fileRequest(tx, actor, input, {
          ...mailContextOf(config),
          submissionToken: token,
          stagingToken: token,
        });
        return { dropped, created };
      }
      return { dropped, created: null };
    });
    await Promise.all(removed.dropped.map((key) => app.deps.files.remove(key)));
    if (removed.created) {
      const flag = removed.created.created ? 'cree=1' : 'deja=1';
      return reply.redirect(`/demandes/${removed.created.number}?${flag}`, 303);
    }
    const ctx = await viewContext(request, reply);
    const values = { ...form.fields };
    return sendPage(
      reply,
      <NewRequestPage
        ctx={ctx}
        refs={refs}
        form={{ values, errors }}
        token={token}
        staged={await listStaged(db, actor.id, token)}
        limits={config.upload}
      />,
      422,
    );
  });

  app.get<{ Params: { id: string } }>('/pieces-jointes/:id', { preHandler: requireArea('portal') }, async (request, reply) => {
    const id = Number(request.params.id);
    const file = Number.isSafeInteger(id) ? await findDownload(db, request.actor!, id) : null;
    if (!file) return reply.callNotFound();
    return reply
      .header('content-type', file.mediaType)
      .header('content-length', String(file.sizeBytes))
      .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.originalName)}`)
      .header('content-security-policy', "default-src 'none'; sandbox")
      .header('cache-control', 'private, no-store')
      .send(app.deps.files.open(file.storageKey));
  });

  await app.register(requestRoutes);
  await app.register(myRequestsRoutes);
  await app.register(satisfactionRoutes);
}
