/**
 * « Réponses types » administration: list, create, edit, deactivate. Administrators only; every
 * change is in the audit trail.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { transaction } from '../../db/client.js';
import {
  type CannedAnswer,
  getCannedAnswer,
  listCannedAnswers,
  saveCannedAnswer,
  setCannedAnswerActive,
} from '../../domain/canned-answers/canned-answers.js';
import { ValidationError } from '../../domain/errors.js';
import { getReferentials } from '../../domain/referentials/referentials.js';
import { emptyForm, type FormState } from '../components/form.js';
import { requireArea, viewContext } from '../plugins/actor-gate.js';
import { sendPage } from '../shared/render.js';
import { CannedAnswerFormPage, CannedAnswersListPage, DONE } from './canned-answers-pages.js';

type Params = { id: string };
type Body = Record<string, string | undefined>;

const BASE = '/admin/reponses-types';

/** Only the form's fields, as text (anything else sent is ignored). */
const fieldsOf = (body: Body | undefined) => ({
  title: String(body?.title ?? '').slice(0, 1000),
  applicationId: String(body?.applicationId ?? ''),
  body: String(body?.body ?? '').slice(0, 20_000),
});

export async function cannedAnswerRoutes(app: FastifyInstance) {
  const { db } = app.deps;
  const gate = { preHandler: requireArea('admin') };

  async function showForm(request: FastifyRequest, reply: FastifyReply, form: FormState, answer?: CannedAnswer, status = 200) {
    const [ctx, refs] = await Promise.all([viewContext(request, reply), getReferentials(db)]);
    const done = DONE[(request.query as Record<string, string>)?.fait ?? ''];
    return sendPage(
      reply,
      <CannedAnswerFormPage ctx={ctx} form={form} applications={refs.applications} answer={answer} done={done} />,
      status,
    );
  }

  app.get<{ Querystring: { fait?: string } }>(BASE, gate, async (request, reply) => {
    const answers = await listCannedAnswers(db);
    const ctx = await viewContext(request, reply);
    return sendPage(reply, <CannedAnswersListPage ctx={ctx} answers={answers} done={DONE[request.query.fait ?? '']} />);
  });

  app.get(`${BASE}/nouvelle`, gate, (request, reply) => showForm(request, reply, emptyForm()));

  app.post<{ Body: Body }>(`${BASE}/nouvelle`, gate, async (request, reply) => {
    const fields = fieldsOf(request.body);
    try {
      await transaction(db, (tx) => saveCannedAnswer(tx, { actorId: request.actor!.id, ip: request.ip }, null, fields));
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return showForm(request, reply, { values: fields, errors: error.fields }, undefined, 422);
    }
    return reply.redirect(`${BASE}?fait=cree`, 303);
  });

  app.get<{ Params: Params }>(`${BASE}/:id`, gate, async (request, reply) => {
    const answer = await getCannedAnswer(db, Number(request.params.id));
    const form = emptyForm({ title: answer.title, applicationId: String(answer.applicationId ?? ''), body: answer.body });
    return showForm(request, reply, form, answer);
  });

  app.post<{ Params: Params; Body: Body }>(`${BASE}/:id`, gate, async (request, reply) => {
    const answer = await getCannedAnswer(db, Number(request.params.id));
    const fields = fieldsOf(request.body);
    try {
      await transaction(db, (tx) => saveCannedAnswer(tx, { actorId: request.actor!.id, ip: request.ip }, answer.id, fields));
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return showForm(request, reply, { values: fields, errors: error.fields }, answer, 422);
    }
    return reply.redirect(`${BASE}/${answer.id}?fait=enregistre`, 303);
  });

  app.post<{ Params: Params; Body: Body }>(`${BASE}/:id/etat`, gate, async (request, reply) => {
    const answer = await getCannedAnswer(db, Number(request.params.id));
    const active = request.body?.active === 'true';
    await transaction(db, (tx) => setCannedAnswerActive(tx, { actorId: request.actor!.id, ip: request.ip }, answer.id, active));
    return reply.redirect(`${BASE}/${answer.id}?fait=${active ? 'active' : 'desactive'}`, 303);
  });
}
