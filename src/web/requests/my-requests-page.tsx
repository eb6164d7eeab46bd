import type { Referentials } from '../../domain/referentials/referentials.js';
import type { Page as ListPage } from '../../domain/requests/list-queries.js';
import { COUNT_CAP, type MyRequestsQuery, type MyRow, queryParams } from '../../domain/requests/my-requests.js';
import { ErrorSummary, type FormState } from '../components/form.js';
import { Pager, RequestTable } from '../components/requests.js';
import { Page } from '../layout/page.js';
import type { ViewContext } from '../shared/view-context.js';
import { MyRequestsFilters, SORT_LABELS, sortValue } from './my-requests-filters.js';

type Props = {
  ctx: ViewContext;
  refs: Referentials;
  page: ListPage<MyRow>;
  query: MyRequestsQuery;
  form: FormState;
  /** Matching requests, up to COUNT_CAP + 1. */
  count: number;
  /** The setting lets this person see their structure's requests. */
  shared: boolean;
  first: boolean;
};

const SCOPES = { mine: 'Mes demandes', structure: 'Toutes les demandes de ma structure' } as const;

/** Shown only when there is something to count: the empty state speaks for itself. */
const countLabel = (n: number) => (n > COUNT_CAP ? `${COUNT_CAP}+ demandes` : n > 1 ? `${n} demandes` : '1 demande');

/** True when the list is narrowed by something the person chose (the empty state then says so). */
const filtered = (q: MyRequestsQuery) => Boolean(q.statuses.length || q.applicationId || q.from || q.to || q.search);

export function MyRequestsPage({ ctx, refs, page, query, form, count, shared, first }: Props) {
  const params = queryParams(query).toString();
  const base = `/demandes${params ? `?${params}` : ''}`;
  const reset = query.scope === 'structure' ? '/demandes?vue=structure' : '/demandes';
  const title = SCOPES[query.scope];
  const failed = Object.keys(form.errors).length > 0;
  return (
    <Page ctx={ctx} title={title} failed={failed} breadcrumb={[{ label: 'Accueil', href: '/' }, { label: 'Mes demandes' }]}>
      <h1>{title}</h1>
      <p>
        <a class="fr-btn fr-icon-add-line fr-btn--icon-left" href="/demandes/nouvelle">
          Déposer une nouvelle demande
        </a>
      </p>
      {shared && <ScopeLinks current={query.scope} />}
      <ErrorSummary form={form} labels={{ du: 'Déposée du', au: 'au' }} />
      <MyRequestsFilters form={form} refs={refs} scope={query.scope} reset={reset} />
      {count > 0 && (
        <div class="fr-grid-row fr-grid-row--middle fr-mb-2w">
          <p class="fr-col fr-mb-0" id="results-count">
            <strong>{countLabel(count)}</strong>
            {filtered(query) ? ' correspondant à ces critères' : ''}
          </p>
          <p class="fr-mb-0">
            <a
              class="fr-link fr-icon-download-line fr-link--icon-left"
              href={`/demandes/export.csv${params ? `?${params}` : ''}`}
              download
            >
              Exporter (CSV)
            </a>
          </p>
        </div>
      )}
      {page.rows.length ? (
        <RequestTable
          caption={`${title}, triées par ${SORT_LABELS[sortValue(query)]?.toLowerCase()}`}
          rows={page.rows}
          filed
          requester={query.scope === 'structure'}
        />
      ) : (
        <EmptyState query={query} />
      )}
      <Pager base={base} next={page.next} first={first} />
    </Page>
  );
}

function ScopeLinks({ current }: { current: MyRequestsQuery['scope'] }) {
  return (
    <nav aria-label="Demandes affichées" class="fr-mb-3w">
      <ul class="fr-tags-group">
        {(Object.keys(SCOPES) as (keyof typeof SCOPES)[]).map((scope) => (
          <li key={scope}>
            <a
              class="fr-tag"
              href={scope === 'structure' ? '/demandes?vue=structure' : '/demandes'}
              aria-current={scope === current ? 'page' : undefined}
            >
              {SCOPES[scope]}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function EmptyState({ query }: { query: MyRequestsQuery }) {
  return (
    <div class="fr-callout fr-mb-4w">
      <p class="fr-callout__text">
        {filtered(query)
          ? 'Aucune demande ne correspond à ces critères. Modifiez-les ou réinitialisez les filtres.'
          : query.scope === 'structure'
            ? 'Aucune demande n’a encore été déposée par votre structure.'
            : 'Vous n’avez encore déposé aucune demande.'}
      </p>
    </div>
  );
}
