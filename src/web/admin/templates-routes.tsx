/**
 * « Modèles de courriels » (administrators): edit a notification's subject and body, preview it
 * with sample values (a POST that shows the form again, so it works without JavaScript), go back
 * to the default. Every change goes to the audit log (domain/notifications/templates.ts).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { transaction } from '../../db/client.js';
import { ValidationError } from '../../domain/errors.js';
import { sampleValues, TEMPLATES, type TemplateSpec, templateSpec } from '../../domain/notifications/catalogue.js';
import {
  checkTemplate,
  editedKeys,
  loadTemplate,
  renderTemplate,
  resetTemplate,
  saveTemplate,
  type Template,
} from '../../domain/notifications/templates.js';
import { emptyForm, type FormState } from '../components/form.js';
import { actorOf, requireArea, viewContext } from '../plugins/actor-gate.js';
import { sendPage } from '../shared/render.js';
import { first, form, query, text, type ZodApp } from '../shared/schemas.js';
import { TemplateEditPage, TemplatesListPage } from './templates-pages.js';

const keyParams = z.object({ key: z.string().max(100) });
const templateForm = form({ subject: text, body: text, intent: text });

const NOTICES: Record<'enregistre' | 'retabli', string> = {
  enregistre: 'Le modèle a été enregistré : il sert dès le prochain courriel.',
  retabli: 'Le modèle par défaut a été rétabli.',
};

export async function templateAdminRoutes(app: ZodApp) {
  const { db } = app.deps;
  const gate = { preValidation: requireArea('admin') };

  async function show(
    request: FastifyRequest,
    reply: FastifyReply,
    spec: TemplateSpec,
    view: { form: FormState; preview?: Template; notice?: string },
    status = 200,
  ) {
    const edited = (await editedKeys(db)).has(spec.key);
    const ctx = await viewContext(request, reply);
    return sendPage(reply, <TemplateEditPage ctx={ctx} spec={spec} edited={edited} {...view} />, status);
  }

  app.get('/admin/modeles', gate, async (request, reply) => {
    const edited = await editedKeys(db);
    const ctx = await viewContext(request, reply);
    return sendPage(reply, <TemplatesListPage ctx={ctx} templates={TEMPLATES} edited={edited} />);
  });

  const shown = { ...gate, schema: { params: keyParams, querystring: query({ enregistre: first, retabli: first }) } };
  app.get('/admin/modeles/:key', shown, async (request, reply) => {
    const spec = templateSpec(request.params.key);
    if (!spec) return reply.callNotFound();
    const current = await loadTemplate(db, spec.key);
    const notice = (['enregistre', 'retabli'] as const).find((k) => request.query[k] === '1');
    return show(request, reply, spec, {
      form: emptyForm({ subject: current.subject, body: current.body }),
      notice: notice ? NOTICES[notice] : undefined,
    });
  });

  app.post('/admin/modeles/:key', { ...gate, schema: { params: keyParams, body: templateForm } }, async (request, reply) => {
    const spec = templateSpec(request.params.key);
    if (!spec) return reply.callNotFound();
    const body = request.body;
    const input = { subject: (body.subject ?? '').slice(0, 1000), body: (body.body ?? '').slice(0, 40_000) };
    const form = emptyForm(input);
    if (body.intent === 'preview') {
      const errors = checkTemplate(spec, input);
      if (Object.keys(errors).length) return show(request, reply, spec, { form: { ...form, errors } }, 422);
      return show(request, reply, spec, { form, preview: renderTemplate(input, sampleValues(spec)) });
    }
    try {
      await transaction(db, (tx) => saveTemplate(tx, spec.key, input, { actorId: actorOf(request).id, ip: request.ip }));
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return show(request, reply, spec, { form: { ...form, errors: error.fields } }, 422);
    }
    return reply.redirect(`/admin/modeles/${spec.key}?enregistre=1`, 303);
  });

  app.post('/admin/modeles/:key/defaut', { ...gate, schema: { params: keyParams } }, async (request, reply) => {
    const spec = templateSpec(request.params.key);
    if (!spec) return reply.callNotFound();
    await transaction(db, (tx) => resetTemplate(tx, spec.key, { actorId: actorOf(request).id, ip: request.ip }));
    return reply.redirect(`/admin/modeles/${spec.key}?retabli=1`, 303);
  });
}
