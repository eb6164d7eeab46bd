/**
 * Users administration: the searchable list, a user's page and the form that changes role,
 * applications, structure and status; the activation link sent again. Administrators only.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
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
import { requireArea, viewContext } from '../plugins/actor-gate.js';
import { sendPage } from '../shared/render.js';
import { UserPage } from './user-page.js';
import { DONE, UsersListPage } from './users-pages.js';

export async function userAdminRoutes(app: FastifyInstance) {
  const { db } = app.deps;
  const gate = { preHandler: requireArea('admin') };

  app.get<{ Querystring: Record<string, string> }>('/admin/utilisateurs', gate, async (request, reply) => {
    const filters = parseFilters(request.query ?? {});
    const [result, refs, structures] = await Promise.all([searchUsers(db, filters), getReferentials(db), structuresByRegion(db)]);
    const ctx = await viewContext(request, reply);
    return sendPage(reply, <UsersListPage ctx={ctx} filters={filters} result={result} refs={refs} structures={structures} />);
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
        self={user.id === request.actor!.id}
      />,
      form ? 422 : 200,
    );
  }

  async function loadUser(id: string) {
    const n = Number(id);
    const user = isSerialId(n) ? await getUser(db, n) : null;
    if (!user) throw new NotFoundError();
    return user;
  }

  app.get<{ Params: { id: string }; Querystring: { fait?: string } }>('/admin/utilisateurs/:id', gate, async (request, reply) =>
    showUser(request, reply, await loadUser(request.params.id), undefined, request.query.fait),
  );

  app.post<{ Params: { id: string }; Body: Record<string, unknown> }>('/admin/utilisateurs/:id', gate, async (request, reply) => {
    const user = await loadUser(request.params.id);
    const body = request.body ?? {};
    // Only the form's fields go to the domain; names, e-mail, login and password are not set here.
    const input = {
      role: body.role,
      requesterKind: body.requesterKind,
      applicationIds: body.applicationIds,
      structureId: body.structureId,
      status: body.status,
      knowledgeEditor: body.knowledgeEditor,
    };
    try {
      const { changed } = await updateUser(db, request.actor!, user.id, input, request.ip);
      return reply.redirect(`/admin/utilisateurs/${user.id}?fait=${changed.length ? 'enregistre' : 'aucun'}`, 303);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const text = (v: unknown) => (typeof v === 'string' ? v : '');
      const applicationIds = (Array.isArray(input.applicationIds) ? input.applicationIds : [input.applicationIds])
        .map(Number)
        .filter(isSerialId);
      const state: FormState = {
        values: {
          role: text(input.role),
          requesterKind: text(input.requesterKind),
          structureId: text(input.structureId),
          status: text(input.status),
          knowledgeEditor: text(input.knowledgeEditor),
        },
        errors: error.fields,
      };
      return showUser(request, reply, user, { state, applicationIds });
    }
  });

  app.post<{ Params: { id: string } }>('/admin/utilisateurs/:id/activation', gate, async (request, reply) => {
    const user = await loadUser(request.params.id);
    await resendActivation(db, request.actor!, user.id, app.deps.config.publicUrl, request.ip);
    return reply.redirect(`/admin/utilisateurs/${user.id}?fait=activation`, 303);
  });
}
