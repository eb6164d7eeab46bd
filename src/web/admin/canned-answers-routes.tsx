/**
 * « Réponses types » administration: list, create, edit, deactivate. Administrators only; every
 * change is in the audit trail.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
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
import { actorOf, requireArea, viewContext } from '../plugins/actor-gate.js';
import { sendPage } from '../shared/render.js';
import { first, form, idParams, query, text, type ZodApp } from '../shared/schemas.js';
import { CannedAnswerFormPage, CannedAnswersListPage, DONE } from './canned-answers-pages.js';

const answerForm = form({ title: text, applicationId: text, body: text });
type Body = z.output<typeof answerForm>;
const shownQuery = query({ fait: first });

const BASE = '/admin/reponses-types';

/** Only the form's fields, as text (anything else sent is ignored). */
const fieldsOf = (body: Body) => ({
  title: (body.title ?? '').slice(0, 1000),
  applicationId: body.applicationId ?? '',
  body: (body.body ?? '').slice(0, 20_000),
});

export async function cannedAnswerRoutes(app: ZodApp) {
  const { db } = app.deps;
  const gate = { preValidation: requireArea('admin') };

  async function showForm(
    request: FastifyRequest,
    reply: FastifyReply,
    form: FormState,
    options: { answer?: CannedAnswer; done?: string; status?: number } = {},
  ) {
    const { answer, status = 200 } = options;
    const [ctx, refs] = await Promise.all([viewContext(request, reply), getReferentials(db)]);
    const done = DONE[options.done ?? ''];
    return sendPage(
      reply,
      <CannedAnswerFormPage ctx={ctx} form={form} applications={refs.applications} answer={answer} done={done} />,
      status,
    );
  }

  const who = (request: FastifyRequest) => ({ actorId: actorOf(request).id, ip: request.ip });

  app.get(BASE, { ...gate, schema: { querystring: shownQuery } }, async (request, reply) => {
    const answers = await listCannedAnswers(db);
    const ctx = await viewContext(request, reply);
    return sendPage(reply, <CannedAnswersListPage ctx={ctx} answers={answers} done={DONE[request.query.fait ?? '']} />);
  });

  app.get(`${BASE}/nouvelle`, gate, (request, reply) => showForm(request, reply, emptyForm()));

  app.post(`${BASE}/nouvelle`, { ...gate, schema: { body: answerForm } }, async (request, reply) => {
    const fields = fieldsOf(request.body);
    try {
      await transaction(db, (tx) => saveCannedAnswer(tx, who(request), null, fields));
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return showForm(request, reply, { values: fields, errors: error.fields }, { status: 422 });
    }
    return reply.redirect(`${BASE}?fait=cree`, 303);
  });

  app.get(`${BASE}/:id`, { ...gate, schema: { params: idParams, querystring: shownQuery } }, async (request, reply) => {
    const answer = await getCannedAnswer(db, request.params.id);
    const values = emptyForm({ title: answer.title, applicationId: String(answer.applicationId ?? ''), body: answer.body });
    return showForm(request, reply, values, { answer, done: request.query.fait });
  });

  app.post(`${BASE}/:id`, { ...gate, schema: { params: idParams, body: answerForm } }, async (request, reply) => {
    const answer = await getCannedAnswer(db, request.params.id);
    const fields = fieldsOf(request.body);
    try {
      await transaction(db, (tx) => saveCannedAnswer(tx, who(request), answer.id, fields));
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return showForm(request, reply, { values: fields, errors: error.fields }, { answer, status: 422 });
    }
    return reply.redirect(`${BASE}/${answer.id}?fait=enregistre`, 303);
  });

  const state = { ...gate, schema: { params: idParams, body: form({ active: text }) } };
  app.post(`${BASE}/:id/etat`, state, async (request, reply) => {
    const answer = await getCannedAnswer(db, request.params.id);
    const active = request.body.active === 'true';
    await transaction(db, (tx) => setCannedAnswerActive(tx, who(request), answer.id, active));
    return reply.redirect(`${BASE}/${answer.id}?fait=${active ? 'active' : 'desactive'}`, 303);
  });
}
