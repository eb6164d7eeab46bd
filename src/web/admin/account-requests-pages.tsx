/** « Administration › Demandes de compte »: the list, and one request with its two decisions. */
import type { accountRequests } from '../../db/schema.js';
import type { listAccountRequests } from '../../domain/accounts/account-requests.js';
import { de } from '../../domain/french.js';
import type { Referentials } from '../../domain/referentials/referentials.js';
import { Alert, Csrf, emptyForm, type FormState, Input, RadioGroup, Select, Textarea } from '../components/form.js';
import { DataTable, FactsTable } from '../components/table.js';
import { Page } from '../layout/page.js';
import { formatDateTime } from '../shared/format.js';
import type { ViewContext } from '../shared/view-context.js';

type AccountRequest = typeof accountRequests.$inferSelect;

const STATUS = { pending: 'En attente', approved: 'Validée', refused: 'Refusée' } as const;
const BADGE = { pending: 'fr-badge--new', approved: 'fr-badge--success', refused: 'fr-badge--error' } as const;
const ROLES = [
  { value: 'requester', label: 'Demandeur' },
  { value: 'agent', label: 'Agent (niveau 1)' },
  { value: 'expert', label: 'Expert (niveau 2)' },
  { value: 'admin', label: 'Administrateur' },
];

const crumbs = (last?: string) => [
  { label: 'Accueil', href: '/' },
  { label: 'Administration', href: '/admin' },
  ...(last
    ? [{ label: 'Demandes de compte', href: '/admin/demandes-de-compte' }, { label: last }]
    : [{ label: 'Demandes de compte' }]),
];

const name = (r: AccountRequest) => `${r.civility} ${r.firstName} ${r.lastName.toUpperCase()}`;
const lookup = (rows: { id: number; name: string }[], id: number) => rows.find((r) => r.id === id)?.name ?? '—';

export function AccountRequestsListPage({
  ctx,
  rows,
  refs,
}: {
  ctx: ViewContext;
  rows: Awaited<ReturnType<typeof listAccountRequests>>;
  refs: Referentials;
}) {
  return (
    <Page ctx={ctx} title="Demandes de compte" breadcrumb={crumbs()}>
      <h1>Demandes de compte</h1>
      {rows.length === 0 ? (
        <p>Aucune demande de compte.</p>
      ) : (
        <DataTable caption="Demandes de compte, les demandes en attente d’abord">
          <thead>
            <tr>
              <th scope="col">Date</th>
              <th scope="col">Demandeur</th>
              <th scope="col">Identifiant</th>
              <th scope="col">Structure</th>
              <th scope="col">Région</th>
              <th scope="col">Statut</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id}>
                <td>{formatDateTime(r.createdAt)}</td>
                <td>
                  <a href={`/admin/demandes-de-compte/${r.id}`}>{name(r)}</a>
                </td>
                <td>{r.login}</td>
                <td>{r.structureName}</td>
                <td>{lookup(refs.regions, r.regionId)}</td>
                <td>
                  <span class={`fr-badge fr-badge--sm fr-badge--no-icon ${BADGE[r.status]}`}>{STATUS[r.status]}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </DataTable>
      )}
    </Page>
  );
}

export type Failed = { decision: 'approve' | 'refuse'; form: FormState; alert?: string };

export function AccountRequestPage({
  ctx,
  row,
  refs,
  structures,
  failed,
}: {
  ctx: ViewContext;
  row: AccountRequest;
  refs: Referentials;
  structures: { id: number; name: string }[];
  failed?: Failed;
}) {
  const details: [string, string][] = [
    ['Identifiant', row.login],
    ['Civilité', row.civility],
    ['Nom', row.lastName],
    ['Prénom', row.firstName],
    ['Email', row.email],
    ['Téléphone', row.phone],
    ['Applications', row.applicationIds.map((id) => lookup(refs.applications, id)).join(', ')],
    ['Région', lookup(refs.regions, row.regionId)],
    ['Nom de la structure', row.structureName],
    ['Nature de la structure', lookup(refs.natures, row.natureId)],
    ['Type de structure', lookup(refs.types, row.typeId)],
    ['Reçue le', formatDateTime(row.createdAt)],
    ['Statut', STATUS[row.status]],
  ];
  if (row.refusalReason) details.push(['Raison du refus', row.refusalReason]);
  const approve =
    failed?.decision === 'approve'
      ? failed.form
      : emptyForm({
          role: 'requester',
          requesterKind: 'centre',
          structure: defaultStructure(row, structures),
          newStructureName: row.structureName,
        });
  const refuse = failed?.decision === 'refuse' ? failed.form : emptyForm();
  return (
    <Page ctx={ctx} title={`Demande de compte ${de(name(row))}`} failed={Boolean(failed)} breadcrumb={crumbs(name(row))}>
      <h1>{`Demande de compte ${de(name(row))}`}</h1>
      {failed?.alert && <Alert kind="error" title={failed.alert} />}
      <FactsTable caption="Informations de la demande de compte" rows={details} />
      {row.status === 'pending' && (
        <div class="fr-grid-row fr-grid-row--gutters fr-mt-4w">
          <section class="fr-col-12 fr-col-md-6" aria-labelledby="approve-title">
            <h2 id="approve-title" class="fr-h4">
              Valider
            </h2>
            <form method="post" action={`/admin/demandes-de-compte/${row.id}`} novalidate>
              <Csrf token={ctx.csrfToken} />
              <input type="hidden" name="decision" value="approve" />
              <Select form={approve} name="role" label="Rôle" required options={ROLES} />
              <RadioGroup
                form={approve}
                name="requesterKind"
                legend="Type de demandeur"
                inline
                options={[
                  { value: 'centre', label: 'Centre' },
                  { value: 'direccte', label: 'DIRECCTE' },
                ]}
              />
              <Select
                form={approve}
                name="structure"
                label="Structure"
                required
                hint="Rattacher le compte à une structure de la région, ou créer la structure demandée."
                options={[
                  { value: 'new', label: 'Créer une nouvelle structure' },
                  ...structures.map((s) => ({ value: String(s.id), label: s.name })),
                ]}
              />
              <Input
                form={approve}
                name="newStructureName"
                label="Nom de la nouvelle structure"
                hint="Utilisé seulement si vous créez une structure."
              />
              <button class="fr-btn" type="submit">
                Valider
              </button>
            </form>
          </section>
          <section class="fr-col-12 fr-col-md-6" aria-labelledby="refuse-title">
            <h2 id="refuse-title" class="fr-h4">
              Refuser
            </h2>
            <form method="post" action={`/admin/demandes-de-compte/${row.id}`} novalidate>
              <Csrf token={ctx.csrfToken} />
              <input type="hidden" name="decision" value="refuse" />
              <Textarea
                form={refuse}
                name="reason"
                label="Raison du refus"
                hint="Envoyée au demandeur par courriel."
                required
                rows={4}
              />
              <button class="fr-btn fr-btn--secondary" type="submit">
                Refuser
              </button>
            </form>
          </section>
        </div>
      )}
    </Page>
  );
}

/** An existing structure with the same name in the region, else a new one. */
function defaultStructure(row: AccountRequest, structures: { id: number; name: string }[]): string {
  const same = structures.find((s) => s.name.trim().toLowerCase() === row.structureName.trim().toLowerCase());
  return same ? String(same.id) : 'new';
}
