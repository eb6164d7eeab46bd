/**
 * « Mon compte »: coordinates, e-mail address (confirmed through a link sent to the new
 * address), password, open sessions, data export and deletion request. Each form reads only
 * its own fields; the domain (domain/accounts/profile.ts) does the rest.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { closeOtherSessions, exportData, listSessions, requestDeletion } from '../../domain/accounts/personal-data.js';
import {
  changePassword,
  confirmEmailChange,
  getProfile,
  inspectEmailChange,
  type Profile,
  requestEmailChange,
  updateCoordinates,
} from '../../domain/accounts/profile.js';
import { audit } from '../../domain/audit/audit.js';
import { ValidationError } from '../../domain/errors.js';
import { getNotifyMode, getPilotageSummary, setNotifyMode, setPilotageSummary } from '../../domain/notifications/preferences.js';
import { emptyForm, type FormState } from '../components/form.js';
import { actorOf, requireArea, viewContext } from '../plugins/actor-gate.js';
import { sendPage } from '../shared/render.js';
import { form, query, text, tokenParams, type ZodApp } from '../shared/schemas.js';
import { AccountPage, DONE, EmailConfirmPage, type Forms } from './my-account-page.js';

export async function myAccountRoutes(app: ZodApp) {
  const { db } = app.deps;
  const gate = { preValidation: requireArea('account') };
  const throttled = { config: { rateLimit: { max: 10, timeWindow: '1 minute' } } };
  const changeContext = (request: FastifyRequest) => ({ publicUrl: app.deps.config.publicUrl, ip: request.ip });

  const coordinatesForm = (profile: Profile) =>
    emptyForm({
      civility: profile.civility ?? '',
      lastName: profile.lastName,
      firstName: profile.firstName,
      phone: profile.phone ?? '',
    });

  /** The page, with one form's refused values and errors when `failed` is given. */
  async function showPage(
    request: FastifyRequest,
    reply: FastifyReply,
    failed?: { form: keyof Forms; state: FormState },
    done?: string,
  ) {
    const actor = actorOf(request);
    const profile = await getProfile(db, actor.id);
    if (!profile) return reply.callNotFound();
    const forms: Forms = {
      coordinates: coordinatesForm(profile),
      email: emptyForm(),
      password: emptyForm(),
      notifications: emptyForm({ notifyNewRequests: await getNotifyMode(db, actor.id) }),
      pilotageSummary: emptyForm({ pilotageSummary: (await getPilotageSummary(db, actor.id)) ? '1' : '' }),
    };
    if (failed) forms[failed.form] = failed.state;
    const sessions = await listSessions(db, actor.id, request.session.sessionId);
    const ctx = await viewContext(request, reply);
    return sendPage(
      reply,
      <AccountPage
        ctx={ctx}
        profile={profile}
        forms={forms}
        failed={failed?.form}
        sessions={sessions}
        done={done ? DONE[done] : undefined}
      />,
      failed ? 422 : 200,
    );
  }

  app.get('/mon-compte', { ...gate, schema: { querystring: query({ fait: text }) } }, (request, reply) =>
    showPage(request, reply, undefined, request.query.fait),
  );

  const coordinatesSchema = { body: form({ civility: text, lastName: text, firstName: text, phone: text }) };
  app.post('/mon-compte/coordonnees', { ...gate, schema: coordinatesSchema }, async (request, reply) => {
    const body = request.body;
    // Only these four fields are read: role, structure, status… sent along are ignored.
    const values = {
      civility: body.civility ?? '',
      lastName: body.lastName ?? '',
      firstName: body.firstName ?? '',
      phone: body.phone ?? '',
    };
    try {
      await updateCoordinates(db, actorOf(request).id, values, changeContext(request));
      return reply.redirect('/mon-compte?fait=coordonnees#coordonnees', 303);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return showPage(request, reply, { form: 'coordinates', state: { values, errors: error.fields } });
    }
  });

  const emailSchema = { body: form({ email: text, currentPassword: text }) };
  app.post('/mon-compte/courriel', { ...gate, ...throttled, schema: emailSchema }, async (request, reply) => {
    const body = request.body;
    const email = (body.email ?? '').slice(0, 300);
    try {
      const change = { email, password: body.currentPassword ?? '' };
      await requestEmailChange(db, actorOf(request).id, change, changeContext(request));
      return reply.redirect('/mon-compte?fait=courriel-envoye#courriel', 303);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      // The password is never sent back into the page.
      return showPage(request, reply, { form: 'email', state: { values: { email }, errors: error.fields } });
    }
  });

  /** The link of the e-mail opens this page; only its button (a POST) changes the address. */
  const byToken = { ...gate, schema: { params: tokenParams } };
  app.get('/mon-compte/courriel/:token', byToken, async (request, reply) => {
    const { state, newEmail } = await inspectEmailChange(db, actorOf(request).id, request.params.token);
    const ctx = await viewContext(request, reply);
    return sendPage(
      reply,
      <EmailConfirmPage ctx={ctx} token={request.params.token} state={state} newEmail={newEmail} />,
      state === 'valid' ? 200 : 410,
    );
  });

  app.post('/mon-compte/courriel/:token', byToken, async (request, reply) => {
    const result = await confirmEmailChange(db, actorOf(request).id, request.params.token, changeContext(request));
    if (result.state === 'valid') return reply.redirect('/mon-compte?fait=courriel#courriel', 303);
    const ctx = await viewContext(request, reply);
    return sendPage(reply, <EmailConfirmPage ctx={ctx} token={request.params.token} state={result.state} newEmail={null} />, 410);
  });

  const passwordSchema = { body: form({ currentPassword: text, newPassword: text, confirmation: text }) };
  app.post('/mon-compte/mot-de-passe', { ...gate, ...throttled, schema: passwordSchema }, async (request, reply) => {
    const body = request.body;
    try {
      await changePassword(
        db,
        actorOf(request).id,
        {
          currentPassword: body.currentPassword ?? '',
          newPassword: body.newPassword ?? '',
          confirmation: body.confirmation ?? '',
        },
        { ...changeContext(request), keepSid: request.session.sessionId },
      );
      return reply.redirect('/mon-compte?fait=mot-de-passe#mot-de-passe', 303);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return showPage(request, reply, { form: 'password', state: { values: {}, errors: error.fields } });
    }
  });

  const notificationsSchema = { body: form({ notifyNewRequests: text }) };
  app.post('/mon-compte/notifications', { ...gate, schema: notificationsSchema }, async (request, reply) => {
    const actor = actorOf(request);
    if (actor.role !== 'agent') return reply.callNotFound();
    try {
      await setNotifyMode(db, actor.id, request.body.notifyNewRequests ?? '');
      return reply.redirect('/mon-compte?fait=notifications#notifications', 303);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return showPage(request, reply, { form: 'notifications', state: { values: {}, errors: error.fields } });
    }
  });

  const summarySchema = { body: form({ pilotageSummary: text }) };
  app.post('/mon-compte/resume-pilotage', { ...gate, schema: summarySchema }, async (request, reply) => {
    const actor = actorOf(request);
    if (actor.role !== 'pilot') return reply.callNotFound();
    await setPilotageSummary(db, actor.id, request.body.pilotageSummary === '1');
    return reply.redirect('/mon-compte?fait=resume-pilotage#resume-pilotage', 303);
  });

  app.post('/mon-compte/sessions/fermer-les-autres', gate, async (request, reply) => {
    await closeOtherSessions(db, actorOf(request).id, request.session.sessionId, changeContext(request));
    return reply.redirect('/mon-compte?fait=sessions#sessions', 303);
  });

  app.get('/mon-compte/donnees', gate, async (request, reply) => {
    const actor = actorOf(request);
    const data = await exportData(db, actor.id);
    if (!data) return reply.callNotFound();
    await audit(db, {
      action: 'account.export',
      actorId: actor.id,
      target: `user:${actor.id}`,
      ip: request.ip,
    });
    const day = new Date().toISOString().slice(0, 10);
    return reply
      .header('content-type', 'application/json; charset=utf-8')
      .header('content-disposition', `attachment; filename="mes-donnees-${day}.json"`)
      .header('cache-control', 'no-store')
      .header('x-content-type-options', 'nosniff')
      .send(JSON.stringify(data, null, 2));
  });

  app.post('/mon-compte/suppression', gate, async (request, reply) => {
    await requestDeletion(db, actorOf(request).id, changeContext(request));
    return reply.redirect('/mon-compte?fait=suppression#suppression', 303);
  });
}
