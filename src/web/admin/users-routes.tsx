/**
 * Users administration: the searchable list, a user's page and the form that changes role,
 * applications, structure and status; the activation link sent again; « Créer un compte » for
 * staff, with its invitation sent again. Administrators only.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createStaffAccount, resendInvitation } from '../../domain/accounts/staff-accounts.js';
import {
  getUser,
  parseFilters,
  resendActivation,
  searchUsers,
  structuresByRegion,
  type UserDetail,
  updateUser,
} from '../../domain/accounts/users-admin.js';
import { NotFoundError, ValidationError } from '../../domain/errors.js';
import { getReferentials } from '../../domain/referentials/referentials.js';
import { isSerialId } from '../../domain/validation.js';
import { emptyForm, type FormState } from '../components/form.js';
import { actorOf, requireArea, viewContext } from '../plugins/actor-gate.js';
import { sendPage } from '../shared/render.js';
import { first, form, idParams, list, query, text, type ZodApp } from '../shared/schemas.js';
import { StaffAccountPage } from './staff-account-page.js';
import { UserPage } from './user-page.js';
import { DONE, UsersListPage } from './users-pages.js';

const staffAccountForm = form({
  civility: text,
  firstName: text,
  lastName: text,
  login: text,
  email: text,
  role: text,
  applicationIds: list,
});

const userForm = form({
  role: text,
  requesterKind: text,
  applicationIds: list,
  structureId: text,
  status: text,
  knowledgeEditor: text,
  deskLead: text,
});

export async function userAdminRoutes(app: ZodApp) {
  const { db } = app.deps;
  const gate = { preValidation: requireArea('admin') };

  // The search form's parameters are read by the domain (parseFilters), which ignores wrong values.
  app.get('/admin/utilisateurs', { ...gate, schema: { querystring: query({}) } }, async (request, reply) => {
    const filters = parseFilters(request.query);
    const [result, refs, structures] = await Promise.all([searchUsers(db, filters), getReferentials(db), structuresByRegion(db)]);
    const ctx = await viewContext(request, reply);
    return sendPage(reply, <UsersListPage ctx={ctx} filters={filters} result={result} refs={refs} structures={structures} />);
  });

  // A static path: it wins over /admin/utilisateurs/:id.
  app.get('/admin/utilisateurs/nouveau', gate, async (request, reply) => {
    const ctx = await viewContext(request, reply);
    const refs = await getReferentials(db);
    return sendPage(reply, <StaffAccountPage ctx={ctx} form={emptyForm()} applicationIds={[]} refs={refs} />);
  });

  app.post('/admin/utilisateurs/nouveau', { ...gate, schema: { body: staffAccountForm } }, async (request, reply) => {
    const { civility, firstName, lastName, login, email, role, applicationIds } = request.body;
    // Only the form's fields reach the domain: no password, status or structure is set here.
    const input = { civility, firstName, lastName, login, email, role, applicationIds };
    try {
      const id = await createStaffAccount(db, actorOf(request).id, input, app.deps.config.publicUrl, request.ip);
      return reply.redirect(`/admin/utilisateurs/${id}?fait=cree`, 303);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const typed = { civility, firstName, lastName, login, email, role };
      const values = Object.fromEntries(Object.entries(typed).map(([k, v]) => [k, v ?? '']));
      const [ctx, refs] = await Promise.all([viewContext(request, reply), getReferentials(db)]);
      const kept = applicationIds.map(Number).filter(isSerialId);
      const state = { values, errors: error.fields };
      return sendPage(reply, <StaffAccountPage ctx={ctx} form={state} applicationIds={kept} refs={refs} />, 422);
    }
  });

  async function showUser(
    request: FastifyRequest,
    reply: FastifyReply,
    user: UserDetail,
    form?: { state: FormState; applicationIds: number[] },
    done?: string,
  ) {
    const [refs, structures] = await Promise.all([getReferentials(db), structuresByRegion(db)]);
    const ctx = await viewContext(request, reply);
    const state =
      form?.state ??
      emptyForm({
        role: user.role,
        requesterKind: user.requesterKind ?? '',
        structureId: user.structureId ? String(user.structureId) : '',
        status: user.active ? 'active' : 'disabled',
        knowledgeEditor: user.knowledgeEditor ? '1' : '',
        deskLead: user.deskLead ? '1' : '',
      });
    return sendPage(
      reply,
      <UserPage
        ctx={ctx}
        user={user}
        form={state}
        applicationIds={form?.applicationIds ?? user.applicationIds}
        refs={refs}
        structures={structures}
        done={done ? DONE[done] : undefined}
        self={user.id === actorOf(request).id}
      />,
      form ? 422 : 200,
    );
  }

  async function loadUser(id: number) {
    const user = await getUser(db, id);
    if (!user) throw new NotFoundError();
    return user;
  }

  const shown = { ...gate, schema: { params: idParams, querystring: query({ fait: first }) } };
  app.get('/admin/utilisateurs/:id', shown, async (request, reply) =>
    showUser(request, reply, await loadUser(request.params.id), undefined, request.query.fait),
  );

  app.post('/admin/utilisateurs/:id', { ...gate, schema: { params: idParams, body: userForm } }, async (request, reply) => {
    const user = await loadUser(request.params.id);
    const body = request.body;
    // Only the form's fields go to the domain; names, e-mail, login and password are not set here.
    const input = {
      role: body.role,
      requesterKind: body.requesterKind,
      applicationIds: body.applicationIds,
      structureId: body.structureId,
      status: body.status,
      knowledgeEditor: body.knowledgeEditor,
      deskLead: body.deskLead,
    };
    try {
      const { changed } = await updateUser(db, actorOf(request), user.id, input, request.ip);
      return reply.redirect(`/admin/utilisateurs/${user.id}?fait=${changed.length ? 'enregistre' : 'aucun'}`, 303);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const applicationIds = input.applicationIds.map(Number).filter(isSerialId);
      const state: FormState = {
        values: {
          role: input.role ?? '',
          requesterKind: input.requesterKind ?? '',
          structureId: input.structureId ?? '',
          status: input.status ?? '',
          knowledgeEditor: input.knowledgeEditor ?? '',
          deskLead: input.deskLead ?? '',
        },
        errors: error.fields,
      };
      return showUser(request, reply, user, { state, applicationIds });
    }
  });

  app.post('/admin/utilisateurs/:id/activation', { ...gate, schema: { params: idParams } }, async (request, reply) => {
    const user = await loadUser(request.params.id);
    await resendActivation(db, actorOf(request), user.id, app.deps.config.publicUrl, request.ip);
    return reply.redirect(`/admin/utilisateurs/${user.id}?fait=activation`, 303);
  });

  app.post('/admin/utilisateurs/:id/invitation', { ...gate, schema: { params: idParams } }, async (request, reply) => {
    const user = await loadUser(request.params.id);
    await resendInvitation(db, actorOf(request).id, user.id, app.deps.config.publicUrl, request.ip);
    return reply.redirect(`/admin/utilisateurs/${user.id}?fait=invitation`, 303);
  });
}
