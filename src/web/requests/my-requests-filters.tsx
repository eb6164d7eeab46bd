import type { Referentials } from '../../domain/referentials/referentials.js';
import type { MyRequestsQuery } from '../../domain/requests/my-requests.js';
import { STATUS_LABELS } from '../../domain/requests/workflow.js';
import { STATUSES } from '../../domain/vocabulary.js';
import { FilterActions, type FormState, Input, Select } from '../components/form.js';
import { CheckboxGroup } from '../components/more-fields.js';
import { ApplicationSelect } from '../shared/application-select.js';

/** Sort choices, as a person reads them; the first is the default (no parameter). */
export const SORT_LABELS: Record<string, string> = {
  'maj-desc': 'Dernière mise à jour, la plus récente d’abord',
  'maj-asc': 'Dernière mise à jour, la plus ancienne d’abord',
  'depot-desc': 'Date de dépôt, la plus récente d’abord',
  'depot-asc': 'Date de dépôt, la plus ancienne d’abord',
  'numero-desc': 'Numéro, décroissant',
  'numero-asc': 'Numéro, croissant',
};

export const sortValue = (query: MyRequestsQuery) => `${query.sort}-${query.direction}`;

/** What the form shows: the query's values, or what was typed when a field was refused. */
export function filterForm(query: MyRequestsQuery, raw: Record<string, string>, errors: Record<string, string>): FormState {
  const sort = sortValue(query);
  return {
    values: {
      q: query.search ?? '',
      statut: query.statuses.join(','),
      application: query.applicationId ? String(query.applicationId) : '',
      du: errors.du ? (raw.du ?? '') : (query.from ?? ''),
      au: errors.au ? (raw.au ?? '') : (query.to ?? ''),
      tri: sort === 'maj-desc' ? '' : sort,
    },
    errors,
  };
}

/** The filter form of « Mes demandes »: a GET form, usable without JavaScript. */
export function MyRequestsFilters({
  form,
  refs,
  scope,
  reset,
}: {
  form: FormState;
  refs: Referentials;
  scope: MyRequestsQuery['scope'];
  reset: string;
}) {
  const [defaultSort, ...sorts] = Object.entries(SORT_LABELS);
  return (
    <form method="get" action="/demandes" class="fr-mb-4w" aria-label="Filtrer et trier les demandes">
      {scope === 'structure' && <input type="hidden" name="vue" value="structure" />}
      <div class="fr-grid-row fr-grid-row--gutters">
        <div class="fr-col-12 fr-col-md-6">
          <Input form={form} name="q" type="search" label="Rechercher" hint="Un numéro de demande, ou des mots de l’objet" />
        </div>
        <div class="fr-col-12 fr-col-md-6">
          <ApplicationSelect
            form={form}
            refs={refs}
            name="application"
            label="Application"
            placeholder="Toutes les applications"
          />
        </div>
        <div class="fr-col-12 fr-col-md-6">
          <CheckboxGroup
            form={form}
            name="statut"
            legend="Statut"
            hint="Aucun coché : tous les statuts"
            options={STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s] }))}
          />
        </div>
        <div class="fr-col-12 fr-col-md-6">
          <fieldset class="fr-fieldset" aria-labelledby="periode-legend">
            <legend class="fr-fieldset__legend--regular fr-fieldset__legend" id="periode-legend">
              Période de dépôt
            </legend>
            <div class="fr-fieldset__element">
              <Input form={form} name="du" type="date" label="Déposée du" hint="Format attendu : jj/mm/aaaa" />
            </div>
            <div class="fr-fieldset__element">
              <Input form={form} name="au" type="date" label="au" hint="Format attendu : jj/mm/aaaa" />
            </div>
          </fieldset>
          <Select
            form={form}
            name="tri"
            label="Trier par"
            placeholder={defaultSort?.[1]}
            options={sorts.map(([value, label]) => ({ value, label }))}
          />
        </div>
      </div>
      <FilterActions reset={reset} />
    </form>
  );
}
