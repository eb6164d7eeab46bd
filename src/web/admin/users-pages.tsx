/** The users list of the administration, and what the user page shares with it. */
import type { searchUsers, structuresByRegion, UserFilters, UserStatus } from '../../domain/accounts/users-admin.js';
import type { Referentials } from '../../domain/referentials/referentials.js';
import type { Role } from '../../domain/vocabulary.js';
import { emptyForm, Input, type OptionGroup, Select } from '../components/form.js';
import { DataTable } from '../components/table.js';
import { Page } from '../layout/page.js';
import { ApplicationSelect } from '../shared/application-select.js';
import { formatDateTime } from '../shared/format.js';
import type { ViewContext } from '../shared/view-context.js';

export const ROLE_LABELS: Record<Role, string> = {
  requester: 'Demandeur',
  agent: 'Agent (niveau 1)',
  expert: 'Expert (niveau 2)',
  admin: 'Administrateur',
  pilot: 'Pilote (statistiques)',
};

export const STATUS_LABELS: Record<UserStatus, string> = {
  active: 'Actif',
  disabled: 'Désactivé',
  pending: 'En attente d’activation',
};

export const STATUS_QUERY: Record<UserStatus, string> = { active: 'actif', disabled: 'desactive', pending: 'en-attente' };

export const DONE: Record<string, string> = {
  enregistre: 'Les modifications ont été enregistrées.',
  aucun: 'Aucune modification : le compte était déjà dans cet état.',
  activation: 'Un nouveau lien d’activation, valable 7 jours, a été envoyé à l’adresse du compte.',
  cree: 'Le compte a été créé. Une invitation à choisir son mot de passe, valable 7 jours, a été envoyée à son adresse.',
  invitation: 'Une nouvelle invitation, valable 7 jours, a été envoyée à l’adresse du compte ; la précédente ne fonctionne plus.',
};

export const FORM_LABELS: Record<string, string | [string, string]> = {
  role: ['Rôle', 'role-fieldset'],
  requesterKind: ['Type de demandeur', 'requesterKind-fieldset'],
  applicationIds: ['Applications', 'applicationIds-fieldset'],
  structureId: 'Structure',
  status: ['État du compte', 'status-fieldset'],
};

export type Structures = Awaited<ReturnType<typeof structuresByRegion>>;

export const crumbs = (label?: string) => [
  { label: 'Accueil', href: '/' },
  { label: 'Administration', href: '/admin' },
  ...(label ? [{ label: 'Utilisateurs', href: '/admin/utilisateurs' }, { label }] : [{ label: 'Utilisateurs' }]),
];

export const structureGroups = (structures: Structures): OptionGroup[] =>
  structures.map((g) => ({
    label: g.region,
    options: g.structures.map((s) => ({ value: String(s.id), label: s.name })),
  }));

export function filterQuery(filters: UserFilters, page?: number): string {
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

export function StatusBadge({ status }: { status: UserStatus }) {
  const kind = status === 'active' ? 'success' : status === 'disabled' ? 'error' : 'new';
  return <p class={`fr-badge fr-badge--sm fr-badge--${kind}`}>{STATUS_LABELS[status]}</p>;
}

export function UsersListPage({
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
      <p>
        <a class="fr-btn fr-btn--secondary fr-icon-add-line fr-btn--icon-left" href="/admin/utilisateurs/nouveau">
          Créer un compte
        </a>
      </p>
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
            <ApplicationSelect
              form={form}
              refs={refs}
              name="application"
              label="Application"
              placeholder="Toutes les applications"
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

export function Pagination({ filters, page, pages }: { filters: UserFilters; page: number; pages: number }) {
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
