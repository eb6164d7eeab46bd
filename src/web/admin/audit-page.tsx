import { type AuditQuery, type AuditRow, auditQueryParams, COUNT_CAP } from '../../domain/audit/search.js';
import { ErrorSummary, FilterActions, type FormState, Input, Select } from '../components/form.js';
import { DataTable } from '../components/table.js';
import { Page } from '../layout/page.js';
import { formatDateTime } from '../shared/format.js';
import type { ViewContext } from '../shared/view-context.js';
import { auditPerson } from './audit-export.js';
import { auditActionGroups, auditActionLabel, auditTarget, auditTargetKinds } from './audit-labels.js';

export const AUDIT_PATH = '/admin/journal';

const FIELD_LABELS = { personne: 'Personne', action: 'Action', objet: 'Type d’objet', du: 'Du', au: 'Au' };

/** What the form shows: the query's values, or what was typed when a field was refused. */
export function auditFilterForm(query: AuditQuery, raw: Record<string, string>, errors: Record<string, string>): FormState {
  return {
    values: {
      personne: query.person ?? '',
      action: query.action ?? '',
      objet: query.targetKind ?? raw.objet ?? '',
      identifiant: query.targetId ?? raw.identifiant ?? '',
      du: errors.du ? (raw.du ?? '') : (query.from ?? ''),
      au: errors.au ? (raw.au ?? '') : (query.to ?? ''),
    },
    errors,
  };
}

/** The filter form: a GET form, so a search is an address to keep or send, and works without JavaScript. */
function AuditFilters({ form }: { form: FormState }) {
  return (
    <form method="get" action={AUDIT_PATH} class="fr-mb-4w" aria-label="Rechercher dans le journal">
      <div class="fr-grid-row fr-grid-row--gutters">
        <div class="fr-col-12 fr-col-md-6">
          <Input form={form} name="personne" type="search" label="Personne" hint="Identifiant, nom ou adresse électronique" />
        </div>
        <div class="fr-col-12 fr-col-md-6">
          <Select form={form} name="action" label="Action" placeholder="Toutes les actions" groups={auditActionGroups()} />
        </div>
        <div class="fr-col-12 fr-col-md-6">
          <Select form={form} name="objet" label="Type d’objet" placeholder="Tous les objets" options={auditTargetKinds()} />
          <Input form={form} name="identifiant" label="Numéro ou identifiant de l’objet" hint="Par exemple : 67098" />
        </div>
        <div class="fr-col-12 fr-col-md-6">
          <fieldset class="fr-fieldset" aria-labelledby="periode-legend">
            <legend class="fr-fieldset__legend--regular fr-fieldset__legend" id="periode-legend">
              Période
            </legend>
            <div class="fr-fieldset__element">
              <Input form={form} name="du" type="date" label="Du" hint="Format attendu : jj/mm/aaaa" />
            </div>
            <div class="fr-fieldset__element">
              <Input form={form} name="au" type="date" label="Au" hint="Format attendu : jj/mm/aaaa" />
            </div>
          </fieldset>
        </div>
      </div>
      <FilterActions reset={AUDIT_PATH} />
    </form>
  );
}

const countText = (count: number) =>
  count > COUNT_CAP
    ? `Plus de ${COUNT_CAP.toLocaleString('fr-FR')} événements`
    : `${count.toLocaleString('fr-FR')} événement${count > 1 ? 's' : ''}`;

function AuditTable({ rows }: { rows: AuditRow[] }) {
  return (
    <DataTable caption="Événements, du plus récent au plus ancien">
      <thead>
        <tr>
          <th scope="col">Date</th>
          <th scope="col">Action</th>
          <th scope="col">Personne</th>
          <th scope="col">Objet</th>
          <th scope="col">Adresse IP</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((e) => {
          const target = auditTarget(e.target);
          return (
            <tr key={e.id}>
              <td>{formatDateTime(e.at)}</td>
              <td>{auditActionLabel(e.action)}</td>
              <td>{auditPerson(e) ?? '—'}</td>
              <td>{target?.href ? <a href={target.href}>{target.text}</a> : (target?.text ?? '—')}</td>
              <td>{e.ip ?? '—'}</td>
            </tr>
          );
        })}
      </tbody>
    </DataTable>
  );
}

export function AuditPage({
  ctx,
  form,
  query,
  page,
  count,
}: {
  ctx: ViewContext;
  form: FormState;
  query: AuditQuery;
  page: { rows: AuditRow[]; next?: string };
  count: number;
}) {
  const search = auditQueryParams(query).toString();
  return (
    <Page
      ctx={ctx}
      title="Journal d’audit"
      breadcrumb={[{ label: 'Accueil', href: '/' }, { label: 'Administration', href: '/admin' }, { label: 'Journal d’audit' }]}
    >
      <h1>Journal d’audit</h1>
      <ErrorSummary form={form} labels={FIELD_LABELS} />
      <AuditFilters form={form} />
      <div class="fr-grid-row fr-grid-row--middle fr-mb-2w">
        <p class="fr-col fr-mb-0" id="results-count">
          <strong>{countText(count)}</strong>
        </p>
        <p class="fr-mb-0">
          <a
            class="fr-link fr-icon-download-line fr-link--icon-left"
            href={`${AUDIT_PATH}/export.csv${search ? `?${search}` : ''}`}
            download
          >
            Exporter (CSV)
          </a>
        </p>
      </div>
      {page.rows.length ? <AuditTable rows={page.rows} /> : <p>Aucun événement ne correspond à ces critères.</p>}
      {page.next && (
        <a class="fr-link" href={`${AUDIT_PATH}?${auditQueryParams(query, { avant: page.next })}`}>
          Événements plus anciens
        </a>
      )}
    </Page>
  );
}
