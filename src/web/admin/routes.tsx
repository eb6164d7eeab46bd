import { ValidationError } from '../../domain/errors.js';
import { getOutboxMessage, listOutbox } from '../../domain/notifications/queries.js';
import { getSettings, updateSettings } from '../../domain/settings/settings.js';
import { emptyForm, type FormState } from '../components/form.js';
import { actorOf, requireArea, viewContext } from '../plugins/actor-gate.js';
import { sendPage } from '../shared/render.js';
import { first, form, idParams, query, type ZodApp } from '../shared/schemas.js';
import { auditRoutes } from './audit-routes.js';
import { cannedAnswerRoutes } from './canned-answers-routes.js';
import { inboundRoutes } from './inbound-routes.js';
import { AdminHomePage, OutboxMessagePage, OutboxPage, SettingsPage } from './pages.js';

/** A page of a log: the rows before this id (a value that is not one starts at the newest). */
const before = query({ avant: first });
const beforeId = (value: string | undefined) => Number(value) || undefined;

export async function adminRoutes(app: ZodApp) {
  const { db } = app.deps;
  const gate = { preValidation: requireArea('admin') };
  await app.register(inboundRoutes);
  await app.register(cannedAnswerRoutes);
  await app.register(auditRoutes);

  app.get('/admin', gate, async (request, reply) => {
    const ctx = await viewContext(request, reply);
    return sendPage(reply, <AdminHomePage ctx={ctx} />);
  });

  app.get('/admin/parametres', { ...gate, schema: { querystring: query({ enregistre: first }) } }, async (request, reply) => {
    const ctx = await viewContext(request, reply);
    const values = emptyForm(Object.fromEntries(Object.entries(await getSettings(db)).map(([k, v]) => [k, String(v)])));
    return sendPage(reply, <SettingsPage ctx={ctx} form={values} saved={request.query.enregistre === '1'} />);
  });

  // Every setting is a field of this form; the domain checks each one and names the wrong ones.
  app.post('/admin/parametres', { ...gate, schema: { body: form({}) } }, async (request, reply) => {
    const { _csrf, ...sent } = request.body;
    // A repeated field (the checkbox after its hidden default) counts for its last value.
    const body = Object.fromEntries(Object.entries(sent).map(([k, v]) => [k, String(Array.isArray(v) ? (v.at(-1) ?? '') : v)]));
    try {
      await updateSettings(db, body, { actorId: actorOf(request).id, ip: request.ip });
      return reply.redirect('/admin/parametres?enregistre=1', 303);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const ctx = await viewContext(request, reply);
      const refused: FormState = { values: body, errors: error.fields };
      return sendPage(reply, <SettingsPage ctx={ctx} form={refused} />, 422);
    }
  });

  app.get('/admin/courriels', { ...gate, schema: { querystring: before } }, async (request, reply) => {
    const page = await listOutbox(db, beforeId(request.query.avant), 50);
    const ctx = await viewContext(request, reply);
    return sendPage(reply, <OutboxPage ctx={ctx} page={page} smtp={Boolean(app.deps.config.smtpUrl)} />);
  });

  app.get('/admin/courriels/:id', { ...gate, schema: { params: idParams } }, async (request, reply) => {
    const message = await getOutboxMessage(db, request.params.id);
    if (!message) return reply.callNotFound();
    const ctx = await viewContext(request, reply);
    return sendPage(reply, <OutboxMessagePage ctx={ctx} message={message} />);
  });
}
