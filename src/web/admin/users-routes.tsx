/**
 * Users administration: the searchable list, a user's page and the form that changes role,
 * applications, structure and status; the activation link sent again. Administrators only.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Role } from '../../db/schema.js';
import {
  getUser,
  parseFilters,
  resendActivation,
  searchUsers,
  structuresByRegion,
  type UserDetail,
  type UserFilters,
  type UserStatus,
  updateUser,
} from '../../domain/accounts/users-admin.js';
import { NotFoundError, ValidationError } from '../../domain/errors.js';
import { getReferentials, type Referentials } from '../../domain/referentials/referentials.js';
import { isSerialId } from '../../domain/validation.js';
import { requireArea, viewContext } from '../auth/gate.js';
import {
  Alert,
  Csrf,
  ErrorSummary,
  emptyForm,
  type FormState,
  Input,
  type OptionGroup,
  RadioGroup,
  Select,
} from '../components/form.js';
import { DataTable } from '../components/table.js';
import { formatDateTime } from '../format.js';
import { Page } from '../layout/page.js';
import { sendPage } from '../render.js';
import type { ViewContext } from '../view-context.js';

export const ROLE_LABELS: Record<Role, string> = {
  requester: 'Demandeur',
  agent: 'Agent (niveau 1)',
  expert: 'Expert (niveau 2)',
  admin: 'Administrateur',
};

const STATUS_LABELS: Record<UserStatus, string> = {
  active: 'Actif',
  disabled: 'Désactivé',
  pending: 'En attente d’activation',
};

const STATUS_QUERY: Record<UserStatus, string> = { active: 'actif', disabled: 'desactive', pending: 'en-attente' };

const DONE: Record<string, string> = {
  enregistre: 'Les modifications ont été enregistrées.',
  aucun: 'Aucune modification : le compte était déjà dans cet état.',
  activation: 'Un nouveau lien d’activation, valable 7 jours, a été envoyé à l’adresse du compte.',
};

const FORM_LABELS: Record<string, string | [string, string]> = {
  role: ['Rôle', 'role-fieldset'],
  requesterKind: ['Type de demandeur', 'requesterKind-fieldset'],
  applicationIds: ['Applications', 'applicationIds-fieldset'],
  structureId: 'Structure',
  status: ['État du compte', 'status-fieldset'],
};

type Structures = Awaited<ReturnType<typeof structuresByRegion>>;

const crumbs = (label?: string) => [
  { label: 'Accueil', href: '/' },
  { label: 'Administration', href: '/admin' },
  ...(label ? [{ label: 'Utilisateurs', href: '/admin/utilisateurs' }, { label }] : [{ label: 'Utilisateurs' }]),
];

const structureGroups = (structures: Structures): OptionGroup[] =>
  structures.map((g) => ({
    label: g.region,
    options: g.structures.map((s) => ({ value: String(s.id), label: s.name })),
  }));

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

function filterQuery(filters: UserFilters, page?: number): string {
  const params = new URLSearchParams();
  if (filters.q) params.set('q', filters.q);
  if (filters.role) params.set('role', filters.role);
  if (filters.applicationId) params.set('application', String(filters.applicationId));
  if (filters.regionId) params.set('region', String(filters.regionId));
  if (filters.structureId) params.set('structure', String(filters.structureId));
  if (filters.status) params.set('statut', STATUS_QUERY[filters.status]);
  if (page && page > 1) params.set('page', String(page));
  const query = params.toString();
  return query ? `?${query}` : '';
}

function StatusBadge({ status }: { status: UserStatus }) {
  const kind = status === 'active' ? 'success' : status === 'disabled' ? 'error' : 'new';
  return <p class={`fr-badge fr-badge--sm fr-badge--${kind}`}>{STATUS_LABELS[status]}</p>;
}

function UsersListPage({
  ctx,
  filters,
  result,
  refs,
  structures,
}: {
  ctx: ViewContext;
  filters: UserFilters;
  result: Awaited<ReturnType<typeof searchUsers>>;
  refs: Referentials;
  structures: Structures;
}) {
  const form = emptyForm({
    q: filters.q ?? '',
    role: filters.role ?? '',
    application: filters.applicationId ? String(filters.applicationId) : '',
    region: filters.regionId ? String(filters.regionId) : '',
    structure: filters.structureId ? String(filters.structureId) : '',
    statut: filters.status ? STATUS_QUERY[filters.status] : '',
  });
  const { page, pages, total } = result;
  const plural = total > 1 ? 's' : '';
  return (
    <Page ctx={ctx} title="Utilisateurs" breadcrumb={crumbs()}>
      <h1>Utilisateurs</h1>
      <form method="get" action="/admin/utilisateurs" id="form-recherche" class="fr-mb-4w">
        <fieldset class="fr-fieldset" aria-labelledby="recherche-legend">
          <legend class="fr-fieldset__legend" id="recherche-legend">
            Rechercher et filtrer
          </legend>
          <div class="fr-fieldset__element">
            <Input form={form} name="q" label="Nom, identifiant ou adresse électronique" hint="Une partie suffit." />
          </div>
          <div class="fr-fieldset__element fr-fieldset__element--inline">
            <Select
              form={form}
              name="role"
              label="Rôle"
              placeholder="Tous les rôles"
              options={Object.entries(ROLE_LABELS).map(([value, label]) => ({ value, label }))}
            />
          </div>
          <div class="fr-fieldset__element fr-fieldset__element--inline">
            <Select
              form={form}
              name="application"
              label="Application"
              placeholder="Toutes les applications"
              options={refs.applications.map((a) => ({ value: String(a.id), label: a.name }))}
            />
          </div>
          <div class="fr-fieldset__element fr-fieldset__element--inline">
            <Select
              form={form}
              name="region"
              label="Région"
              placeholder="Toutes les régions"
              options={refs.regions.map((r) => ({ value: String(r.id), label: r.name }))}
            />
          </div>
          <div class="fr-fieldset__element fr-fieldset__element--inline">
            <Select
              form={form}
              name="structure"
              label="Structure"
              placeholder="Toutes les structures"
              groups={structureGroups(structures)}
            />
          </div>
          <div class="fr-fieldset__element fr-fieldset__element--inline">
            <Select
              form={form}
              name="statut"
              label="État"
              placeholder="Tous les états"
              options={(Object.keys(STATUS_QUERY) as UserStatus[]).map((s) => ({
                value: STATUS_QUERY[s],
                label: STATUS_LABELS[s],
              }))}
            />
          </div>
          <div class="fr-fieldset__element">
            <ul class="fr-btns-group fr-btns-group--inline-md">
              <li>
                <button class="fr-btn" type="submit">
                  Rechercher
                </button>
              </li>
              <li>
                <a class="fr-btn fr-btn--secondary" href="/admin/utilisateurs">
                  Effacer les filtres
                </a>
              </li>
            </ul>
          </div>
        </fieldset>
      </form>

      <p role="status">{total === 0 ? 'Aucun utilisateur ne correspond.' : `${total} utilisateur${plural} trouvé${plural}.`}</p>
      {total > 0 && (
        <DataTable caption={`Utilisateurs${pages > 1 ? `, page ${page} sur ${pages}` : ''}, par nom`}>
          <thead>
            <tr>
              <th scope="col">Nom</th>
              <th scope="col">Identifiant</th>
              <th scope="col">Adresse électronique</th>
              <th scope="col">Rôle</th>
              <th scope="col">Structure</th>
              <th scope="col">État</th>
              <th scope="col">Dernière connexion</th>
            </tr>
          </thead>
          <tbody>
            {result.rows.map((u) => (
              <tr key={u.id}>
                <th scope="row">
                  <a href={`/admin/utilisateurs/${u.id}`}>{u.displayName}</a>
                </th>
                <td>{u.login}</td>
                <td>{u.email}</td>
                <td>{ROLE_LABELS[u.role]}</td>
                <td>{u.structureName ? `${u.structureName} (${u.regionName ?? '—'})` : '—'}</td>
                <td>
                  <StatusBadge status={u.status} />
                </td>
                <td>{u.lastLoginAt ? formatDateTime(u.lastLoginAt) : 'Jamais'}</td>
              </tr>
            ))}
          </tbody>
        </DataTable>
      )}
      {pages > 1 && <Pagination filters={filters} page={page} pages={pages} />}
    </Page>
  );
}

function Pagination({ filters, page, pages }: { filters: UserFilters; page: number; pages: number }) {
  const href = (p: number) => `/admin/utilisateurs${filterQuery(filters, p)}`;
  const numbers = [...new Set([1, page - 1, page, page + 1, pages])].filter((p) => p >= 1 && p <= pages).sort((a, b) => a - b);
  return (
    <nav role="navigation" class="fr-pagination" aria-label="Pagination">
      <ul class="fr-pagination__list">
        <li>
          {page > 1 ? (
            <a class="fr-pagination__link fr-pagination__link--first" href={href(1)}>
              Première page
            </a>
          ) : (
            <a class="fr-pagination__link fr-pagination__link--first" aria-disabled="true" role="link">
              Première page
            </a>
          )}
        </li>
        <li>
          {page > 1 ? (
            <a class="fr-pagination__link fr-pagination__link--prev fr-pagination__link--lg-label" href={href(page - 1)}>
              Page précédente
            </a>
          ) : (
            <a
              class="fr-pagination__link fr-pagination__link--prev fr-pagination__link--lg-label"
              aria-disabled="true"
              role="link"
            >
              Page précédente
            </a>
          )}
        </li>
        {numbers.map((p) => (
          <li key={p}>
            <a class="fr-pagination__link" href={href(p)} aria-current={p === page ? 'page' : undefined} title={`Page ${p}`}>
              {p}
            </a>
          </li>
        ))}
        <li>
          {page < pages ? (
            <a class="fr-pagination__link fr-pagination__link--next fr-pagination__link--lg-label" href={href(page + 1)}>
              Page suivante
            </a>
          ) : (
            <a
              class="fr-pagination__link fr-pagination__link--next fr-pagination__link--lg-label"
              aria-disabled="true"
              role="link"
            >
              Page suivante
            </a>
          )}
        </li>
        <li>
          {page < pages ? (
            <a class="fr-pagination__link fr-pagination__link--last" href={href(pages)}>
              Dernière page
            </a>
          ) : (
            <a class="fr-pagination__link fr-pagination__link--last" aria-disabled="true" role="link">
              Dernière page
            </a>
          )}
        </li>
      </ul>
    </nav>
  );
}

function ApplicationsFieldset({ form, refs, selected }: { form: FormState; refs: Referentials; selected: number[] }) {
  const error = form.errors.applicationIds;
  const id = 'applicationIds-fieldset';
  return (
    <fieldset class={`fr-fieldset${error ? ' fr-fieldset--error' : ''}`} id={id} aria-labelledby={`${id}-legend ${id}-messages`}>
      <legend class="fr-fieldset__legend--regular fr-fieldset__legend" id={`${id}-legend`}>
        Applications
        <span class="fr-hint-text">Celles qu’un demandeur utilise, ou que l’agent ou l’expert couvre.</span>
      </legend>
      {refs.applications.map((a) => (
        <div class="fr-fieldset__element" key={a.id}>
          <div class="fr-checkbox-group">
            <input
              type="checkbox"
              id={`application-${a.id}`}
              name="applicationIds"
              value={String(a.id)}
              checked={selected.includes(a.id)}
            />
            <label class="fr-label" for={`application-${a.id}`}>
              {a.name}
            </label>
          </div>
        </div>
      ))}
      <div class="fr-messages-group" id={`${id}-messages`} aria-live="polite">
        {error && <p class="fr-message fr-message--error">{error}</p>}
      </div>
    </fieldset>
  );
}

function UserPage({
  ctx,
  user,
  form,
  applicationIds,
  refs,
  structures,
  done,
  self,
}: {
  ctx: ViewContext;
  user: UserDetail;
  form: FormState;
  applicationIds: number[];
  refs: Referentials;
  structures: Structures;
  done?: string;
  self: boolean;
}) {
  const failed = Object.keys(form.errors).length > 0;
  return (
    <Page ctx={ctx} title={user.displayName} failed={failed} breadcrumb={crumbs(user.displayName)}>
      <h1>{user.displayName}</h1>
      {done && <Alert kind="success" title={done} />}
      <ErrorSummary form={form} labels={FORM_LABELS} />
      <div class="fr-grid-row fr-grid-row--gutters">
        <div class="fr-col-12 fr-col-md-5">
          <h2>Informations</h2>
          <dl>
            <dt>Identifiant</dt>
            <dd>{user.login}</dd>
            <dt>Adresse électronique</dt>
            <dd>{user.email}</dd>
            <dt>Téléphone</dt>
            <dd>{user.phone ?? '—'}</dd>
            <dt>Rôle</dt>
            <dd>
              {ROLE_LABELS[user.role]}
              {user.requesterKind ? ` (${user.requesterKind === 'direccte' ? 'DIRECCTE' : 'centre'})` : ''}
            </dd>
            <dt>Structure</dt>
            <dd>{user.structureName ? `${user.structureName} (${user.regionName ?? '—'})` : '—'}</dd>
            <dt>Applications</dt>
            <dd>
              {refs.applications
                .filter((a) => user.applicationIds.includes(a.id))
                .map((a) => a.name)
                .join(', ') || '—'}
            </dd>
            <dt>État</dt>
            <dd>
              <StatusBadge status={user.status} />
            </dd>
            <dt>Compte créé le</dt>
            <dd>{formatDateTime(user.createdAt)}</dd>
            <dt>Dernière connexion</dt>
            <dd>{user.lastLoginAt ? formatDateTime(user.lastLoginAt) : 'Jamais'}</dd>
          </dl>
          {!user.activated && (
            <form method="post" action={`/admin/utilisateurs/${user.id}/activation`} id="form-activation" class="fr-mt-3w">
              <Csrf token={ctx.csrfToken} />
              <p class="fr-text--sm">Ce compte n’a pas encore été activé par son titulaire.</p>
              <button class="fr-btn fr-btn--secondary" type="submit">
                Renvoyer le lien d’activation
              </button>
            </form>
          )}
        </div>
        <div class="fr-col-12 fr-col-md-7">
          <h2>Rôle, applications, structure et état</h2>
          {self && (
            <Alert kind="info" title="C’est votre propre compte">
              <p>Vous ne pouvez ni vous retirer le rôle d’administrateur, ni désactiver votre compte.</p>
            </Alert>
          )}
          <p class="fr-text--sm">Les champs marqués d’un astérisque (*) sont obligatoires.</p>
          <form method="post" action={`/admin/utilisateurs/${user.id}`} id="form-utilisateur" novalidate>
            <Csrf token={ctx.csrfToken} />
            <RadioGroup
              form={form}
              name="role"
              legend="Rôle"
              required
              options={Object.entries(ROLE_LABELS).map(([value, label]) => ({ value, label }))}
            />
            <RadioGroup
              form={form}
              name="requesterKind"
              legend="Type de demandeur (pour un demandeur seulement)"
              inline
              options={[
                { value: 'centre', label: 'Centre' },
                { value: 'direccte', label: 'DIRECCTE' },
              ]}
            />
            <ApplicationsFieldset form={form} refs={refs} selected={applicationIds} />
            <Select
              form={form}
              name="structureId"
              label="Structure"
              hint="Obligatoire pour un demandeur. Les structures sont classées par région."
              placeholder="Aucune structure"
              groups={structureGroups(structures)}
            />
            <RadioGroup
              form={form}
              name="status"
              legend="État du compte"
              required
              inline
              options={[
                { value: 'active', label: 'Actif' },
                { value: 'disabled', label: 'Désactivé (ses sessions sont fermées aussitôt)' },
              ]}
            />
            <button class="fr-btn" type="submit">
              Enregistrer
            </button>
          </form>
        </div>
      </div>
    </Page>
  );
}
