/**
 * « Mon compte »: coordinates, e-mail address (confirmed through a link sent to the new
 * address), password, open sessions, data export and deletion request. Each form reads only
 * its own fields; the domain (domain/accounts/profile.ts) does the rest.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
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
import { getNotifyMode, setNotifyMode } from '../../domain/notifications/preferences.js';
import { emptyForm, type FormState } from '../components/form.js';
import { requireArea, viewContext } from '../plugins/actor-gate.js';
import { sendPage } from '../shared/render.js';
import { AccountPage, type Body, DONE, EmailConfirmPage, type Forms, str } from './my-account-page.js';

export async function myAccountRoutes(app: FastifyInstance) {
  const { db } = app.deps;
  const gate = { preHandler: requireArea('portal') };
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
    const actor = request.actor!;
    const profile = await getProfile(db, actor.id);
    if (!profile) return reply.callNotFound();
    const forms: Forms = {
      coordinates: coordinatesForm(profile),
      email: emptyForm(),
      password: emptyForm(),
      notifications: emptyForm({ notifyNewRequests: await getNotifyMode(db, actor.id) }),
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

  app.get<{ Querystring: { fait?: string } }>('/mon-compte', gate, (request, reply) =>
    showPage(request, reply, undefined, request.query.fait),
  );

  app.post<{ Body: Body }>('/mon-compte/coordonnees', gate, async (request, reply) => {
    const body = request.body ?? {};
    // Only these four fields are read: role, structure, status… sent along are ignored.
    const values = {
      civility: str(body.civility),
      lastName: str(body.lastName),
      firstName: str(body.firstName),
      phone: str(body.phone),
    };
    try {
      await updateCoordinates(db, request.actor!.id, values, changeContext(request));
      return reply.redirect('/mon-compte?fait=coordonnees#coordonnees', 303);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return showPage(request, reply, { form: 'coordinates', state: { values, errors: error.fields } });
    }
  });

  app.post<{ Body: Body }>(
    '/mon-compte/courriel',
    { ...gate, config: { rateLimit: { max: 10, timeWindow: '1 minute' } } },
    async (request, reply) => {
      const body = request.body ?? {};
      const email = str(body.email).slice(0, 300);
      try {
        await requestEmailChange(db, request.actor!.id, { email, password: str(body.currentPassword) }, changeContext(request));
        return reply.redirect('/mon-compte?fait=courriel-envoye#courriel', 303);
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        // The password is never sent back into the page.
        return showPage(request, reply, { form: 'email', state: { values: { email }, errors: error.fields } });
      }
    },
  );

  /** The link of the e-mail opens this page; only its button (a POST) changes the address. */
  app.get<{ Params: { token: string } }>('/mon-compte/courriel/:token', gate, async (request, reply) => {
    const { state, newEmail } = await inspectEmailChange(db, request.actor!.id, request.params.token);
    const ctx = await viewContext(request, reply);
    return sendPage(
      reply,
      <EmailConfirmPage ctx={ctx} token={request.params.token} state={state} newEmail={newEmail} />,
      state === 'valid' ? 200 : 410,
    );
  });

  app.post<{ Params: { token: string } }>('/mon-compte/courriel/:token', gate, async (request, reply) => {
    const result = await confirmEmailChange(db, request.actor!.id, request.params.token, changeContext(request));
    if (result.state === 'valid') return reply.redirect('/mon-compte?fait=courriel#courriel', 303);
    const ctx = await viewContext(request, reply);
    return sendPage(reply, <EmailConfirmPage ctx={ctx} token={request.params.token} state={result.state} newEmail={null} />, 410);
  });

  app.post<{ Body: Body }>(
    '/mon-compte/mot-de-passe',
    { ...gate, config: { rateLimit: { max: 10, timeWindow: '1 minute' } } },
    async (request, reply) => {
      const body = request.body ?? {};
      try {
        await changePassword(
          db,
          request.actor!.id,
          {
            currentPassword: str(body.currentPassword),
            newPassword: str(body.newPassword),
            confirmation: str(body.confirmation),
          },
          { ...changeContext(request), keepSid: request.session.sessionId },
        );
        return reply.redirect('/mon-compte?fait=mot-de-passe#mot-de-passe', 303);
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        return showPage(request, reply, { form: 'password', state: { values: {}, errors: error.fields } });
      }
    },
  );

  app.post<{ Body: Body }>('/mon-compte/notifications', gate, async (request, reply) => {
    if (request.actor!.role !== 'agent') return reply.callNotFound();
    const value = str(request.body?.notifyNewRequests);
    try {
      await setNotifyMode(db, request.actor!.id, value);
      return reply.redirect('/mon-compte?fait=notifications#notifications', 303);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return showPage(request, reply, { form: 'notifications', state: { values: {}, errors: error.fields } });
    }
  });

  app.post('/mon-compte/sessions/fermer-les-autres', gate, async (request, reply) => {
    await closeOtherSessions(db, request.actor!.id, request.session.sessionId, changeContext(request));
    return reply.redirect('/mon-compte?fait=sessions#sessions', 303);
  });

  app.get('/mon-compte/donnees', gate, async (request, reply) => {
    const data = await exportData(db, request.actor!.id);
    if (!data) return reply.callNotFound();
    await audit(db, {
      action: 'account.export',
      actorId: request.actor!.id,
      target: `user:${request.actor!.id}`,
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
    await requestDeletion(db, request.actor!.id, changeContext(request));
    return reply.redirect('/mon-compte?fait=suppression#suppression', 303);
  });
}
