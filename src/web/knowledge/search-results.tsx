import { formatBytes } from '../../domain/attachments/store.js';
import type { KnowledgeHit } from '../../domain/search/knowledge-search.js';
import { MAX_REQUEST_OFFSET, type RequestHit, type RequestSearchPage } from '../../domain/search/request-search.js';
import { REQUESTS_PER_PAGE, type SearchPageQuery, searchHref } from '../../domain/search/search-page-query.js';
import { StatusBadge } from '../components/requests.js';
import { formatDate, isoDate } from '../shared/format.js';

const TYPE_BADGES = {
  faq: { label: 'F.A.Q.', tone: 'fr-badge--purple-glycine' },
  document: { label: 'Document', tone: 'fr-badge--blue-ecume' },
} as const;

/**
 * An excerpt from the search: the database escaped the text before adding `<mark>` around the
 * matched words, so it is inserted as HTML.
 */
function Excerpt({ html }: { html: string }) {
  if (!html) return null;
  // Escaped by the search (text-query.ts `escapedHtml`); only <mark> is added.
  return <p class="fr-mb-1v guichet-search-excerpt" dangerouslySetInnerHTML={{ __html: html }} />;
}

export function KnowledgeResults({ hits }: { hits: KnowledgeHit[] }) {
  return (
    <section aria-labelledby="knowledge-results-title">
      <h2 id="knowledge-results-title" class="fr-h4">
        F.A.Q. et documents
      </h2>
      <ul class="fr-raw-list" id="knowledge-results">
        {hits.map((hit) => (
          <li key={`${hit.type}-${hit.id}`} class="fr-mb-3w">
            <KnowledgeItem hit={hit} />
          </li>
        ))}
      </ul>
    </section>
  );
}

function KnowledgeItem({ hit }: { hit: KnowledgeHit }) {
  const badge = TYPE_BADGES[hit.type];
  const where = [hit.applicationName, hit.themeName].filter(Boolean).join(' › ');
  const file = hit.format
    ? [hit.format, hit.sizeBytes !== undefined ? formatBytes(hit.sizeBytes) : null].filter(Boolean).join(' – ')
    : '';
  return (
    <article>
      <h3 class="fr-h6 fr-mb-1v">
        <span class={`fr-badge fr-badge--sm fr-badge--no-icon ${badge.tone} fr-mr-1w`}>{badge.label}</span>
        <a href={hit.url}>{hit.type === 'faq' ? `${hit.number} - ${hit.title}` : hit.title}</a>
      </h3>
      <Excerpt html={hit.excerpt} />
      {(where || file) && (
        <p class="fr-text--sm fr-mb-0 fr-text-mention--grey">
          {where}
          {where && file ? ' · ' : ''}
          {file}
        </p>
      )}
    </article>
  );
}

/** Where the words were found, as the results and their export say it. */
export const FOUND_IN: Record<RequestHit['matchedIn'], string> = {
  number: 'Numéro de la demande',
  request: 'Objet ou description',
  comment: 'Un commentaire de l’historique',
};

export const SEARCH_EXPORT_PATH = '/recherche/export.csv';

/** The export of a search: its words and the filters that narrow the requests (not the type nor the page). */
export function searchExportHref(query: SearchPageQuery): string {
  return searchHref({ ...query, type: null, offset: 0 }).replace(/^\/recherche/, SEARCH_EXPORT_PATH);
}

export function RequestResults({ page, query, more }: { page: RequestSearchPage; query: SearchPageQuery; more: boolean }) {
  return (
    <section aria-labelledby="request-results-title">
      <h2 id="request-results-title" class="fr-h4">
        Demandes
      </h2>
      <p class="fr-mb-2w">
        <a class="fr-link fr-icon-download-line fr-link--icon-left" href={searchExportHref(query)} download>
          Exporter (CSV)
        </a>
      </p>
      <ul class="fr-raw-list" id="request-results">
        {page.hits.map((hit) => (
          <li key={hit.number} class="fr-mb-3w">
            <RequestItem hit={hit} />
          </li>
        ))}
      </ul>
      {more ? (
        <p>
          <a class="fr-link" href={searchHref(query, { type: 'demandes', offset: 0 })}>
            Voir toutes les demandes trouvées
          </a>
        </p>
      ) : (
        query.type === 'demandes' && <Pager page={page} query={query} />
      )}
    </section>
  );
}

function RequestItem({ hit }: { hit: RequestHit }) {
  return (
    <article>
      <h3 class="fr-h6 fr-mb-1v">
        <a href={hit.url}>{`n° ${hit.number} – ${hit.subject}`}</a> <StatusBadge status={hit.status} small />
      </h3>
      <Excerpt html={hit.excerpt} />
      <p class="fr-text--sm fr-mb-0 fr-text-mention--grey">
        {hit.applicationName} · mise à jour le <time datetime={isoDate(hit.updatedAt)}>{formatDate(hit.updatedAt)}</time> · trouvé
        dans : {FOUND_IN[hit.matchedIn]}
        {hit.internalNote ? ' (note interne)' : ''}
      </p>
    </article>
  );
}

function Pager({ page, query }: { page: RequestSearchPage; query: SearchPageQuery }) {
  const size = page.hits.length;
  // The search does not go deeper than MAX_REQUEST_OFFSET: past it, refine the words.
  const next = page.hasMore && page.offset + size <= MAX_REQUEST_OFFSET;
  if (!page.offset && !next) return null;
  return (
    <nav role="navigation" class="fr-pagination" aria-label="Pagination des demandes">
      <ul class="fr-pagination__list">
        {page.offset > 0 && (
          <li>
            <a
              class="fr-pagination__link fr-pagination__link--prev fr-pagination__link--lg-label"
              href={searchHref(query, { offset: Math.max(page.offset - REQUESTS_PER_PAGE, 0) })}
            >
              Résultats précédents
            </a>
          </li>
        )}
        {next && (
          <li>
            <a
              class="fr-pagination__link fr-pagination__link--next fr-pagination__link--lg-label"
              href={searchHref(query, { offset: page.offset + size })}
            >
              Résultats suivants
            </a>
          </li>
        )}
      </ul>
    </nav>
  );
}
