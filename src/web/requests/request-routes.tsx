import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { transaction } from '../../db/client.js';
import { canUse } from '../../domain/access.js';
import { FORM_TOKEN, stageFiles } from '../../domain/attachments/staging.js';
import { cannedAnswersFor } from '../../domain/canned-answers/canned-answers.js';
import { ConflictError, TransitionError, ValidationError } from '../../domain/errors.js';
import { mailFailuresOf } from '../../domain/notifications/queries.js';
import { mailContextOf } from '../../domain/notifications/request-notifications.js';
import { assigneesFor } from '../../domain/requests/assignees.js';
import { applyAction } from '../../domain/requests/commands/apply-action.js';
import { actionsOn, getRequestView } from '../../domain/requests/queries.js';
import { ACTIONS, type Action } from '../../domain/vocabulary.js';
import { requireArea, viewContext } from '../plugins/actor-gate.js';
import { newFormToken } from '../shared/form-token.js';
import { readMultipart } from '../shared/multipart.js';
import { sendPage } from '../shared/render.js';
import { cannedAnswerInsertRoutes } from './canned-answer-routes.js';
import { linkRoutes } from './links-routes.js';
import type { ActionFormState } from './request-form-errors.js';
import { RequestPage } from './request-page.js';
import { resourceRoutes } from './resources-routes.js';

const NOTICES: Record<string, string> = {
  cree: 'Votre demande a bien été enregistrée. Un accusé de réception vous a été envoyé par courriel.',
  deja: 'Cette demande avait déjà été enregistrée : la voici.',
  fait: 'Votre action a bien été enregistrée.',
};

type Params = { number: string };

export async function requestRoutes(app: FastifyInstance) {
  const { db, config } = app.deps;

  async function show(request: FastifyRequest<{ Params: Params }>, reply: FastifyReply, failed?: ActionFormState, status = 200) {
    const number = Number(request.params.number);
    const view = Number.isSafeInteger(number) ? await getRequestView(db, request.actor!, number) : null;
    const query = request.query as Record<string, string>;
    if (!view) {
      // Right after their own action, a desk member may no longer see the request (an expert who sent it
      // back to level 1): back to the queue with the notice, rather than « Page non trouvée ».
      if (!failed && query.fait === '1' && canUse(request.actor, 'desk')) return reply.redirect('/guichet?transmise=1', 303);
      return reply.callNotFound();
    }
    const notice = Object.keys(NOTICES).find((k) => query[k] === '1');
    const ctx = await viewContext(request, reply);
    const assignees = view.actions.includes('reassign') ? await assigneesFor(db, view) : [];
    const canned = canUse(request.actor, 'desk') ? await cannedAnswersFor(db, view) : [];
    return sendPage(
      reply,
      <RequestPage
        ctx={ctx}
        request={view}
        token={newFormToken()}
        assignees={assignees}
        limits={config.upload}
        notice={notice ? NOTICES[notice] : undefined}
        failed={failed}
        canned={canned}
        mailFailures={await mailFailuresOf(db, request.actor, view.id)}
      />,
      status,
    );
  }

  app.get<{ Params: Params }>('/demandes/:number', { preHandler: requireArea('portal') }, (request, reply) =>
    show(request, reply),
  );
  await linkRoutes(app, show);
  await cannedAnswerInsertRoutes(app, show);
  await resourceRoutes(app);

  const actionForm = { preHandler: requireArea('portal'), config: { multipartForm: true } };
  app.post<{ Params: Params }>('/demandes/:number/actions', actionForm, async (request, reply) => {
    const actor = request.actor!;
    const number = Number(request.params.number);
    if (!Number.isSafeInteger(number)) return reply.callNotFound();
    // Files are stored only for an action the person may take now: refused ones leave nothing on disk.
    const acceptFiles = async (sent: Record<string, string>) =>
      (await actionsOn(db, actor, number))?.includes(sent.action as Action) ?? false;
    const { fields, files, fileError } = request.isMultipart()
      ? await readMultipart(request, reply, { maxFiles: config.upload.maxFiles, acceptFiles })
      : { fields: (request.body ?? {}) as Record<string, string>, files: [], fileError: undefined };
    const action = fields.action as Action;
    if (!ACTIONS.includes(action) || action === 'auto_close') return reply.callNotFound();
    const message = (fields.message ?? '').slice(0, 20000);
    const token = FORM_TOKEN.test(fields.token ?? '') ? fields.token : undefined;
    // Files sent without a form token (a client of its own) are staged under a fresh one, not left behind.
    const stagingToken = token ?? (files.length ? newFormToken() : undefined);
    const discardFiles = () => Promise.all(files.map((f) => app.deps.files.remove(f.storageKey)));
    const refuse = async (error: string, field = 'message') => {
      await discardFiles();
      const values = { message, duplicateOfNumber: (fields.duplicateOfNumber ?? '').slice(0, 40) };
      return show(request, reply, { action, form: { values, errors: { [field]: error } } }, 422);
    };
    if (fileError) return refuse(fileError, 'files');
    try {
      const outcome = await transaction(db, async (tx) => {
        if (stagingToken) await stageFiles(tx, actor.id, stagingToken, files);
        return applyAction(
          tx,
          actor,
          number,
          action,
          {
            message,
            assigneeId: fields.assigneeId ? Number(fields.assigneeId) : null,
            expectedVersion: fields.version ? Number(fields.version) : undefined,
            submissionToken: token,
            stagingToken,
            duplicateOfNumber: fields.duplicateOfNumber,
          },
          mailContextOf(config),
        );
      });
      return reply.redirect(`/demandes/${outcome.number}?fait=1`, 303);
    } catch (error) {
      // A missing message is checked after the permission: a forbidden action is a 409 either way.
      if (error instanceof ValidationError) {
        const [field, text] = Object.entries(error.fields)[0] ?? ['message', error.message];
        return refuse(text, field);
      }
      await discardFiles();
      if (error instanceof TransitionError || error instanceof ConflictError) {
        return show(request, reply, { action, form: { values: { message }, errors: {} }, alert: error.message }, 409);
      }
      throw error;
    }
  });
}
