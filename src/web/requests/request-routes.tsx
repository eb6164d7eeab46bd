import { transaction } from '../../db/client.js';
import { canUse } from '../../domain/access.js';
import { cannedAnswersFor } from '../../domain/canned-answers/canned-answers.js';
import { mailFailuresOf } from '../../domain/notifications/queries.js';
import { assigneesFor } from '../../domain/requests/assignees.js';
import { markRead } from '../../domain/requests/desk.js';
import { getRequestView } from '../../domain/requests/queries.js';
import { actorOf, requireArea, viewContext } from '../plugins/actor-gate.js';
import { newFormToken } from '../shared/form-token.js';
import { sendPage } from '../shared/render.js';
import { numberParams, query, text, type ZodApp } from '../shared/schemas.js';
import { submitAction } from './action-submission.js';
import { cannedAnswerInsertRoutes } from './canned-answer-routes.js';
import { linkRoutes } from './links-routes.js';
import type { ShowRequest } from './request-form-errors.js';
import { RequestPage } from './request-page.js';
import { resourceRoutes } from './resources-routes.js';

const NOTICES: Record<'cree' | 'deja' | 'fait', string> = {
  cree: 'Votre demande a bien été enregistrée. Un accusé de réception vous a été envoyé par courriel.',
  deja: 'Cette demande avait déjà été enregistrée : la voici.',
  fait: 'Votre action a bien été enregistrée.',
};

const noticeQuery = query({ cree: text, deja: text, fait: text });

export async function requestRoutes(app: ZodApp) {
  const { db, config } = app.deps;

  const show: ShowRequest = async (request, reply, number, failed, status = 200) => {
    const actor = actorOf(request);
    const view = await getRequestView(db, actor, number);
    const flags = noticeQuery.parse(request.query ?? {});
    if (!view) {
      // Right after their own action, a desk member may no longer see the request (an expert who sent it
      // back to level 1): back to the queue with the notice, rather than « Page non trouvée ».
      if (!failed && flags.fait === '1' && canUse(actor, 'desk')) return reply.redirect('/guichet?transmise=1', 303);
      return reply.callNotFound();
    }
    const notice = (['cree', 'deja', 'fait'] as const).find((k) => flags[k] === '1');
    // The desk's « Information ajoutée » mark goes once the person has opened the request.
    if (canUse(actor, 'desk')) await transaction(db, (tx) => markRead(tx, actor.id, view.id));
    const ctx = await viewContext(request, reply);
    const assignees = view.actions.includes('reassign') ? await assigneesFor(db, view) : [];
    const canned = canUse(actor, 'desk') ? await cannedAnswersFor(db, view) : [];
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
        mailFailures={await mailFailuresOf(db, actor, view.id)}
      />,
      status,
    );
  };

  const schema = { params: numberParams, querystring: noticeQuery };
  app.get('/demandes/:number', { preValidation: requireArea('portal'), schema }, (request, reply) =>
    show(request, reply, request.params.number),
  );
  await linkRoutes(app, show);
  await cannedAnswerInsertRoutes(app, show);
  await resourceRoutes(app);

  const actionForm = { preValidation: requireArea('portal'), config: { multipartForm: true }, schema: { params: numberParams } };
  app.post('/demandes/:number/actions', actionForm, async (request, reply) => {
    const { number } = request.params;
    const outcome = await submitAction(request, reply, number);
    if (outcome.done) return reply.redirect(`/demandes/${number}?fait=1`, 303);
    return show(request, reply, number, outcome.failed, outcome.status);
  });
}
