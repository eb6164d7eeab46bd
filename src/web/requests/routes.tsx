import type { Actor } from '../../domain/actor.js';
import { PREVIEW_MEDIA_TYPE, Previews } from '../../domain/attachments/preview.js';
import type { Suggestion } from '../../domain/knowledge/suggestions.js';
import { getReferentials } from '../../domain/referentials/referentials.js';
import { parseOnBehalf } from '../../domain/requests/input.js';
import { parseRequestNumber } from '../../domain/requests/links.js';
import { findDownload } from '../../domain/requests/queries.js';
import { findCallableRequester } from '../../domain/requests/requester-search.js';
import { emptyForm } from '../components/form.js';
import { actorOf, requireArea, viewContext } from '../plugins/actor-gate.js';
import { newFormToken } from '../shared/form-token.js';
import { sendPage } from '../shared/render.js';
import { fileIdParams, first, query, type ZodApp } from '../shared/schemas.js';
import { myRequestsRoutes } from './my-requests-routes.js';
import { NewRequestPage } from './new-request-page.js';
import { submitNewRequest } from './new-request-submission.js';
import { requestRoutes } from './request-routes.js';
import { satisfactionRoutes } from './satisfaction-routes.js';
import { NO_SUGGESTIONS } from './suggestions-panel.js';
import { recordFiledQuietly, suggestionHold, suggestionRoutes, suggestionsShown } from './suggestions-routes.js';

export async function portalRoutes(app: ZodApp) {
  const { db, config } = app.deps;

  /** Only a regional (DIRECCTE) requester files « pour le compte de » a local agent: others' such fields are ignored. */
  const mayFileOnBehalf = async (actor: Actor) => (await findCallableRequester(db, actor.id))?.kind === 'direccte';

  const newRequestQuery = { querystring: query({ suite: first }) };
  app.get(
    '/demandes/nouvelle',
    { preValidation: requireArea('fileRequest'), schema: newRequestQuery },
    async (request, reply) => {
      const ctx = await viewContext(request, reply);
      // « Déposer une nouvelle demande » from a closed request: the new one will be linked to it.
      const followed = parseRequestNumber(request.query.suite);
      const refs = await getReferentials(db);
      const onBehalf = await mayFileOnBehalf(actorOf(request));
      return sendPage(
        reply,
        <NewRequestPage
          ctx={ctx}
          refs={refs}
          form={followed ? { values: { suite: String(followed) }, errors: {} } : emptyForm()}
          token={newFormToken()}
          staged={[]}
          limits={config.upload}
          onBehalf={onBehalf}
          suggestions={NO_SUGGESTIONS}
        />,
      );
    },
  );

  app.post(
    '/demandes/nouvelle',
    { preValidation: requireArea('fileRequest'), config: { multipartForm: true } },
    async (request, reply) => {
      const actor = actorOf(request);
      const onBehalf = await mayFileOnBehalf(actor);
      const suggested: { items: Suggestion[] } = { items: [] };
      const outcome = await submitNewRequest(request, reply, {
        extras: onBehalf ? [(f) => ({ onBehalf: parseOnBehalf(f) })] : [],
        hold: suggestionHold(request, suggested),
        followUp: true,
      });
      if (outcome.filed) {
        if (outcome.filed.created) await recordFiledQuietly(request, actor, outcome.token, outcome.filed.id);
        const flag = outcome.filed.created ? 'cree=1' : 'deja=1';
        return reply.redirect(`/demandes/${outcome.filed.number}?${flag}`, 303);
      }
      const ctx = await viewContext(request, reply);
      const refs = await getReferentials(db);
      const { form, token, staged, held } = outcome;
      const suggestions = await suggestionsShown(request, token, form.values, held ? suggested : null);
      return sendPage(
        reply,
        <NewRequestPage
          ctx={ctx}
          refs={refs}
          form={form}
          token={token}
          staged={staged}
          limits={config.upload}
          onBehalf={onBehalf}
          suggestions={suggestions}
        />,
        held ? 200 : 422,
      );
    },
  );

  const download = { preValidation: requireArea('portal'), schema: { params: fileIdParams } };
  app.get('/pieces-jointes/:id', download, async (request, reply) => {
    const file = await findDownload(db, actorOf(request), request.params.id);
    const stream = file && (await app.deps.files.openIfPresent(file.storageKey));
    if (!file || !stream) return reply.callNotFound();
    return reply
      .header('content-type', file.mediaType)
      .header('content-length', String(file.sizeBytes))
      .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.originalName)}`)
      .header('content-security-policy', "default-src 'none'; sandbox")
      .header('cache-control', 'private, no-store')
      .send(stream);
  });

  // The same check as the download, then a copy the portal made: shown inline, never the sent bytes.
  const previews = new Previews(app.deps.files);
  app.addHook('onClose', () => previews.close());
  app.get('/pieces-jointes/:id/apercu', download, async (request, reply) => {
    const file = await findDownload(db, actorOf(request), request.params.id);
    const preview = file && (await previews.get(file, request.log));
    if (!file || !preview) return reply.callNotFound();
    return (
      reply
        .header('content-type', PREVIEW_MEDIA_TYPE)
        .header('content-length', String(preview.length))
        .header('content-disposition', `inline; filename*=UTF-8''${encodeURIComponent(`apercu-${file.originalName}.webp`)}`)
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; sandbox")
        // Kept by this browser only, for the page's next views; an attachment never changes.
        .header('cache-control', 'private, max-age=3600')
        .send(preview)
    );
  });

  await app.register(requestRoutes);
  await app.register(myRequestsRoutes);
  await app.register(satisfactionRoutes);
  await app.register(suggestionRoutes);
}
