import { isStaff } from '../../domain/access.js';
import { de } from '../../domain/french.js';
import type { Referentials } from '../../domain/referentials/referentials.js';
import type { KnowledgeHit } from '../../domain/search/knowledge-search.js';
import type { RequestSearchPage } from '../../domain/search/request-search.js';
import { SEARCH_TYPE_LABELS, type SearchPageQuery, type SearchType, searchHref } from '../../domain/search/search-page-query.js';
import { type FormState, Select } from '../components/form.js';
import { Page } from '../layout/page.js';
import { ApplicationSelect } from '../shared/application-select.js';
import type { ViewContext } from '../shared/view-context.js';
import { KnowledgeResults, RequestResults } from './search-results.js';

/** Results shown at most; one more is fetched so that the count can say « 50+ ». */
export const KNOWLEDGE_CAP = 50;
/** Requests shown beside the knowledge when no type is chosen. */
export const REQUESTS_BESIDE = 5;

type Props = {
  ctx: ViewContext;
  refs: Referentials;
  query: SearchPageQuery;
  knowledge: KnowledgeHit[];
  requests: RequestSearchPage | null;
};

export function SearchPage({ ctx, refs, query, knowledge, requests }: Props) {
  const staff = isStaff(ctx.actor);
  const title = query.text ? `Recherche « ${query.text} »` : 'Rechercher';
  return (
    <Page ctx={ctx} title={title} breadcrumb={[{ label: 'Accueil', href: '/' }, { label: 'Rechercher' }]}>
      <h1>Rechercher</h1>
      <p>
        {staff
          ? 'Dans la F.A.Q., les documents de la base documentaire et les demandes que vous pouvez consulter (par numéro, objet, description ou commentaire).'
          : 'Dans la F.A.Q. et les documents de la base documentaire.'}
      </p>
      <SearchForm refs={refs} query={query} staff={staff} />
      {query.text ? (
        <Results query={query} knowledge={knowledge} requests={requests} />
      ) : (
        <p>Saisissez un ou plusieurs mots, par exemple « agrément bloquant » ou « édition du bilan ».</p>
      )}
    </Page>
  );
}

/** A GET form: the address of a search can be kept and shared; no JavaScript needed. */
function SearchForm({ refs, query, staff }: { refs: Referentials; query: SearchPageQuery; staff: boolean }) {
  const form: FormState = {
    values: {
      type: query.type ?? '',
      application: query.applicationId ? String(query.applicationId) : '',
      theme: query.themeId ? String(query.themeId) : '',
    },
    errors: {},
  };
  const types = (Object.keys(SEARCH_TYPE_LABELS) as SearchType[]).filter((t) => staff || t !== 'demandes');
  const appName = (id: number) => refs.applications.find((a) => a.id === id)?.name ?? '';
  const themes = refs.themes.filter((t) => !query.applicationId || t.applicationId === query.applicationId);
  const byApplication = refs.applications
    .map((a) => ({
      label: a.name,
      options: themes.filter((t) => t.applicationId === a.id).map((t) => ({ value: String(t.id), label: t.name })),
    }))
    .filter((g) => g.options.length);
  return (
    <form method="get" action="/recherche" class="fr-mb-4w" role="search" aria-label="Rechercher dans le portail">
      <div class="fr-search-bar fr-search-bar--lg fr-mb-3w" id="search-main">
        <label class="fr-label" for="search-main-input">
          Rechercher
        </label>
        <input
          class="fr-input"
          type="search"
          id="search-main-input"
          name="q"
          value={query.text}
          placeholder="Rechercher"
          maxlength={200}
          autocomplete="off"
        />
        <button class="fr-btn" type="submit" title="Rechercher">
          Rechercher
        </button>
      </div>
      <div class="fr-grid-row fr-grid-row--gutters fr-grid-row--bottom">
        <div class="fr-col-12 fr-col-md-3">
          <Select
            form={form}
            name="type"
            label="Type"
            placeholder="Tous les types"
            options={types.map((t) => ({ value: t, label: SEARCH_TYPE_LABELS[t] }))}
          />
        </div>
        <div class="fr-col-12 fr-col-md-4">
          <ApplicationSelect
            form={form}
            refs={refs}
            name="application"
            label="Application"
            placeholder="Toutes les applications"
          />
        </div>
        <div class="fr-col-12 fr-col-md-3">
          <Select
            form={form}
            name="theme"
            label="Thème"
            hint={query.applicationId ? `Thèmes ${de(appName(query.applicationId))}` : 'Par application'}
            placeholder="Tous les thèmes"
            groups={byApplication}
          />
        </div>
        <div class="fr-col-12 fr-col-md-2">
          <button class="fr-btn fr-btn--secondary fr-mb-3w" type="submit">
            Filtrer
          </button>
        </div>
      </div>
    </form>
  );
}

function Results({ query, knowledge, requests }: Pick<Props, 'query' | 'knowledge' | 'requests'>) {
  const showKnowledge = query.type !== 'demandes';
  const nothing = !knowledge.length && !requests?.hits.length;
  return (
    <>
      <p id="results-count" role="status">
        <strong>{countLabel(knowledge.length, requests, query)}</strong>
      </p>
      {nothing ? (
        <EmptyState query={query} />
      ) : (
        <>
          {showKnowledge && knowledge.length > 0 && <KnowledgeResults hits={knowledge.slice(0, KNOWLEDGE_CAP)} />}
          {requests && requests.hits.length > 0 && (
            <RequestResults page={requests} query={query} more={query.type !== 'demandes' && requests.hasMore} />
          )}
        </>
      )}
    </>
  );
}

const plural = (n: number, one: string, many: string) => `${n} ${n > 1 ? many : one}`;

function countLabel(knowledge: number, requests: RequestSearchPage | null, query: SearchPageQuery): string {
  const parts: string[] = [];
  if (query.type !== 'demandes') {
    parts.push(knowledge > KNOWLEDGE_CAP ? `${KNOWLEDGE_CAP}+ résultats` : plural(knowledge, 'résultat', 'résultats'));
  }
  if (requests && query.type === 'demandes') {
    const n = requests.hits.length;
    parts.push(
      requests.hasMore || requests.offset
        ? `Demandes ${requests.offset + 1} à ${requests.offset + n}`
        : plural(n, 'demande', 'demandes'),
    );
  }
  return `${parts.join(', ')} pour « ${query.text} »`;
}

function EmptyState({ query }: { query: SearchPageQuery }) {
  const filtered = query.type || query.applicationId || query.themeId;
  return (
    <div class="fr-callout">
      <h2 class="fr-callout__title fr-h5">Aucun résultat</h2>
      <ul class="fr-callout__text fr-text--md">
        <li>Vérifiez l’orthographe, ou essayez un mot plus courant ou plus général.</li>
        <li>Le début d’un mot suffit : « agré » trouve « agrément ».</li>
        {filtered && (
          <li>
            <a href={searchHref(query, { type: null, applicationId: null, themeId: null, offset: 0 })}>Rechercher sans filtre</a>
          </li>
        )}
        <li>
          Parcourez la <a href="/base-documentaire">base documentaire</a>, ou déposez une demande si vous ne trouvez pas de
          réponse.
        </li>
      </ul>
    </div>
  );
}
