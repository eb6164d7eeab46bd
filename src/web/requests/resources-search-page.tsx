/**
 * The desk's search of the knowledge base for a request: each result with « Associer » (or
 * « Déjà associée »), and the way back to the request.
 */
import type { RequestView } from '../../domain/requests/queries.js';
import type { KnowledgeHit } from '../../domain/search/knowledge-search.js';
import { Page } from '../layout/page.js';
import type { ViewContext } from '../shared/view-context.js';
import { AttachSearchForm } from './resources-section.js';

type Props = { ctx: ViewContext; request: RequestView; text: string; hits: KnowledgeHit[] };

const label = (hit: KnowledgeHit) => (hit.type === 'faq' && hit.number ? `${hit.number} - ${hit.title}` : hit.title);

export function ResourcesSearchPage({ ctx, request: r, text, hits }: Props) {
  const attached = new Set([...r.faq.map((f) => `faq-${f.id}`), ...r.documents.map((d) => `document-${d.id}`)]);
  return (
    <Page
      ctx={ctx}
      title={`Associer une ressource à la demande n° ${r.number}`}
      breadcrumb={[
        { label: 'Accueil', href: '/' },
        { label: 'Guichet', href: '/guichet' },
        { label: `Demande n° ${r.number}`, href: `/demandes/${r.number}` },
        { label: 'Associer une ressource' },
      ]}
    >
      <h1>{`Associer une ressource à la demande n° ${r.number}`}</h1>
      <p>
        <a class="fr-link fr-icon-arrow-left-line fr-link--icon-left" href={`/demandes/${r.number}#ressources`}>
          Retour à la demande
        </a>
      </p>
      <p>{`Sujet de la demande : ${r.subject}`}</p>
      <AttachSearchForm number={r.number} text={text} />
      {text && (
        <section class="fr-mt-4w" aria-labelledby="resources-results-title">
          <h2 class="fr-h4" id="resources-results-title">
            {hits.length === 0 ? 'Aucun résultat' : hits.length === 1 ? '1 résultat' : `${hits.length} résultats`}
          </h2>
          {hits.length > 0 && (
            <ul class="guichet-resources-results">
              {hits.map((hit) => (
                <li key={`${hit.type}-${hit.id}`} class="fr-mb-3w">
                  <p class="fr-mb-1v">
                    <span class="fr-badge fr-badge--sm fr-badge--no-icon fr-mr-1w">
                      {hit.type === 'faq' ? 'F.A.Q.' : 'Document'}
                    </span>
                    <a href={hit.url}>{label(hit)}</a>
                    {hit.applicationName && <span class="fr-text--xs">{` — ${hit.applicationName}`}</span>}
                  </p>
                  {/* The excerpt is escaped by the search, which only adds <mark> around the words found. */}
                  {hit.excerpt && <p class="fr-text--sm fr-mb-1v" dangerouslySetInnerHTML={{ __html: hit.excerpt }} />}
                  {attached.has(`${hit.type}-${hit.id}`) ? (
                    <p class="fr-text--sm fr-mb-0">Déjà associée à la demande.</p>
                  ) : (
                    <form method="post" action={`/demandes/${r.number}/ressources`}>
                      <input type="hidden" name="_csrf" value={ctx.csrfToken} />
                      <input type="hidden" name="type" value={hit.type} />
                      <input type="hidden" name="id" value={String(hit.id)} />
                      <button type="submit" class="fr-btn fr-btn--secondary fr-btn--sm">
                        Associer<span class="fr-sr-only">{` ${label(hit)} à la demande`}</span>
                      </button>
                    </form>
                  )}
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
    </Page>
  );
}
