import type { Referentials } from '../../domain/referentials/referentials.js';
import type { Page as ListPage, ListRow } from '../../domain/requests/queries.js';
import { STATUS_LABELS, STATUSES } from '../../domain/requests/workflow.js';
import { Select } from '../components/form.js';
import { Pager, RequestTable } from '../components/requests.js';
import { Page } from '../layout/page.js';
import type { ViewContext } from '../view-context.js';

type Props = {
  ctx: ViewContext;
  refs: Referentials;
  page: ListPage<ListRow>;
  filters: { statut: string; application: string };
  first: boolean;
};

export function MyRequestsPage({ ctx, refs, page, filters, first }: Props) {
  const form = { values: filters, errors: {} };
  const query = new URLSearchParams(Object.entries(filters).filter(([, v]) => v)).toString();
  return (
    <Page ctx={ctx} title="Mes demandes" breadcrumb={[{ label: 'Accueil', href: '/' }, { label: 'Mes demandes' }]}>
      <h1>Mes demandes</h1>
      <p>
        <a class="fr-btn fr-icon-add-line fr-btn--icon-left" href="/demandes/nouvelle">
          Déposer une nouvelle demande
        </a>
      </p>
      <form method="get" action="/demandes" class="fr-mb-4w" aria-label="Filtrer mes demandes">
        <div class="fr-grid-row fr-grid-row--gutters fr-grid-row--bottom">
          <div class="fr-col-12 fr-col-md-4">
            <Select
              form={form}
              name="statut"
              label="Statut"
              placeholder="Tous les statuts"
              options={STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s] }))}
            />
          </div>
          <div class="fr-col-12 fr-col-md-4">
            <Select
              form={form}
              name="application"
              label="Application"
              placeholder="Toutes les applications"
              options={refs.applications.map((a) => ({ value: String(a.id), label: a.name }))}
            />
          </div>
          <div class="fr-col-12 fr-col-md-4">
            <button class="fr-btn fr-btn--secondary fr-mb-3w" type="submit">
              Filtrer
            </button>
          </div>
        </div>
      </form>
      {page.rows.length ? (
        <RequestTable caption="Mes demandes, de la plus récemment mise à jour à la plus ancienne" rows={page.rows} />
      ) : (
        <p>Aucune demande ne correspond.</p>
      )}
      <Pager base={`/demandes${query ? `?${query}` : ''}`} next={page.next} first={first} />
    </Page>
  );
}
