import { transaction } from '../../db/client.js';
import {
  approveAccountRequest,
  getAccountRequest,
  listAccountRequests,
  refuseAccountRequest,
  structuresOfRegion,
} from '../../domain/accounts/account-requests.js';
import { ConflictError, ValidationError } from '../../domain/errors.js';
import { getReferentials } from '../../domain/referentials/referentials.js';
import { emptyForm } from '../components/form.js';
import { actorOf, requireArea, viewContext } from '../plugins/actor-gate.js';
import { sendPage } from '../shared/render.js';
import { form, idParams, text, type ZodApp } from '../shared/schemas.js';
import { AccountRequestPage, AccountRequestsListPage, type Failed } from './account-requests-pages.js';

/** The two decisions' forms: approval (role, kind, structure) and refusal (its reason). */
const decisionForm = form({
  decision: text,
  role: text,
  requesterKind: text,
  structure: text,
  newStructureName: text,
  reason: text,
});

export async function accountRequestsAdminRoutes(app: ZodApp) {
  const { db, config } = app.deps;
  const gate = { preValidation: requireArea('admin') };

  app.get('/admin/demandes-de-compte', gate, async (request, reply) => {
    const [rows, refs, ctx] = await Promise.all([listAccountRequests(db), getReferentials(db), viewContext(request, reply)]);
    return sendPage(reply, <AccountRequestsListPage ctx={ctx} rows={rows} refs={refs} />);
  });

  async function show(
    id: number,
    request: Parameters<typeof viewContext>[0],
    reply: Parameters<typeof viewContext>[1],
    failed?: Failed,
    status = 200,
  ) {
    const row = await getAccountRequest(db, id);
    if (!row) return reply.callNotFound();
    const [refs, ctx, structures] = await Promise.all([
      getReferentials(db),
      viewContext(request, reply),
      structuresOfRegion(db, row.regionId),
    ]);
    return sendPage(
      reply,
      <AccountRequestPage ctx={ctx} row={row} refs={refs} structures={structures} failed={failed} />,
      status,
    );
  }

  app.get('/admin/demandes-de-compte/:id', { ...gate, schema: { params: idParams } }, (request, reply) =>
    show(request.params.id, request, reply),
  );

  app.post(
    '/admin/demandes-de-compte/:id',
    { ...gate, schema: { params: idParams, body: decisionForm } },
    async (request, reply) => {
      const { id } = request.params;
      const { _csrf, ...sent } = request.body;
      const body = Object.fromEntries(Object.entries(sent).filter((e): e is [string, string] => typeof e[1] === 'string'));
      const decision = body.decision === 'refuse' ? 'refuse' : 'approve';
      const actor = actorOf(request);
      try {
        await transaction(db, async (tx) => {
          if (decision === 'approve') await approveAccountRequest(tx, actor, id, body, config.publicUrl);
          else await refuseAccountRequest(tx, actor, id, body.reason ?? '');
        });
      } catch (error) {
        if (error instanceof ValidationError)
          return show(id, request, reply, { decision, form: { values: body, errors: error.fields } }, 422);
        if (error instanceof ConflictError)
          return show(id, request, reply, { decision, form: emptyForm(body), alert: error.message }, 409);
        throw error;
      }
      return reply.redirect(`/admin/demandes-de-compte/${id}`, 303);
    },
  );
}
