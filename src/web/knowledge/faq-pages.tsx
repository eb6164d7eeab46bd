/**
 * The FAQ as readers see it: one entry (also the editors' « Aperçu ») and the list, newest first.
 */
import type { ComponentChildren } from 'preact';
import { type FaqArticle, type FaqListItem, faqLabel, type RelatedDocument } from '../../domain/knowledge/faq.js';
import { Page } from '../layout/page.js';
import { formatDate, isoDate } from '../shared/format.js';
import type { ViewContext } from '../shared/view-context.js';
import { fileDetail, RichText } from './faq-rich-text.js';

/** What an entry shows; a preview has no id or date yet. */
export type FaqView = Omit<FaqArticle, 'id' | 'publishedAt'> & { publishedAt: Date | null };

export function faqBreadcrumb(entry: Pick<FaqView, 'number' | 'applicationId' | 'applicationName' | 'themeName'>) {
  return [
    { label: 'Accueil', href: '/' },
    { label: 'Base documentaire', href: '/base-documentaire' },
    ...(entry.applicationName
      ? [{ label: entry.applicationName, href: `/base-documentaire?application=${entry.applicationId}` }]
      : []),
    ...(entry.themeName ? [{ label: entry.themeName }] : []),
    { label: `F.A.Q. ${entry.number}` },
  ];
}

function DocumentLinks({ documents }: { documents: RelatedDocument[] }) {
  return (
    <ul class="fr-raw-list">
      {documents.map((d) => {
        const detail = fileDetail(d.mediaType, d.sizeBytes);
        return (
          <li key={d.id} class="fr-mb-2w">
            <a class="fr-link" href={`/base-documentaire/documents/${d.id}`}>
              {d.title}
              {detail && <span class="fr-link__detail">{detail}</span>}
            </a>
          </li>
        );
      })}
    </ul>
  );
}

/** The body of an entry's page; `headingLevel` 1 on its own page, 2 inside the editor's preview. */
export function FaqArticleView({ entry, headingLevel = 1 }: { entry: FaqView; headingLevel?: 1 | 2 }) {
  const Heading = headingLevel === 1 ? 'h1' : 'h2';
  const Sub = headingLevel === 1 ? 'h2' : 'h3';
  return (
    <article>
      <Heading class="fr-h2">{faqLabel(entry)}</Heading>
      <ul class="fr-tags-group">
        {entry.applicationName && <li class="fr-tag">{entry.applicationName}</li>}
        {entry.themeName && <li class="fr-tag">{entry.themeName}</li>}
      </ul>
      {entry.publishedAt && (
        <p class="fr-text--sm">
          Publiée le <time dateTime={isoDate(entry.publishedAt)}>{formatDate(entry.publishedAt)}</time>
        </p>
      )}
      <RichText source={entry.body} />
      {entry.documents.length > 0 && (
        <section aria-labelledby="faq-documents-title" class="fr-mt-4w">
          <Sub id="faq-documents-title" class="fr-h5">
            Documents associés
          </Sub>
          <DocumentLinks documents={entry.documents} />
        </section>
      )}
    </article>
  );
}

export function FaqPage({ ctx, entry }: { ctx: ViewContext; entry: FaqArticle }) {
  return (
    <Page ctx={ctx} title={`F.A.Q. ${entry.number}`} breadcrumb={faqBreadcrumb(entry)}>
      <FaqArticleView entry={entry} />
      <p class="fr-mt-6w">
        <a class="fr-link fr-icon-arrow-left-line fr-link--icon-left" href="/faq">
          Toutes les questions
        </a>
      </p>
    </Page>
  );
}

type ListProps = {
  ctx: ViewContext;
  items: FaqListItem[];
  applications: { id: number; name: string }[];
  applicationId?: number;
  /** Link to the next page, if any. */
  nextHref: string | null;
  first: boolean;
};

export function FaqListPage({ ctx, items, applications, applicationId, nextHref, first }: ListProps) {
  const current = applications.find((a) => a.id === applicationId);
  const title = current ? `F.A.Q. – ${current.name}` : 'F.A.Q.';
  return (
    <Page
      ctx={ctx}
      title={title}
      breadcrumb={[
        { label: 'Accueil', href: '/' },
        { label: 'Base documentaire', href: '/base-documentaire' },
        { label: 'F.A.Q.' },
      ]}
    >
      <h1>{title}</h1>
      <form method="get" action="/faq" class="fr-mb-4w">
        <div class="fr-grid-row fr-grid-row--gutters fr-grid-row--bottom">
          <div class="fr-col-12 fr-col-md-6">
            <div class="fr-select-group">
              <label class="fr-label" for="faq-application">
                Application
              </label>
              <select class="fr-select" id="faq-application" name="application">
                <option value="" selected={!current}>
                  Toutes les applications
                </option>
                {applications.map((a) => (
                  <option key={a.id} value={String(a.id)} selected={a.id === current?.id}>
                    {a.name}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <div class="fr-col-12 fr-col-md-3">
            <button class="fr-btn fr-btn--secondary" type="submit">
              Filtrer
            </button>
          </div>
        </div>
      </form>
      {items.length ? <FaqList items={items} /> : <p>{first ? 'Aucune question publiée.' : 'Aucune autre question.'}</p>}
      <Pager first={first} nextHref={nextHref} firstHref={current ? `/faq?application=${current.id}` : '/faq'} />
    </Page>
  );
}

function FaqList({ items }: { items: FaqListItem[] }) {
  return (
    <ul class="fr-raw-list">
      {items.map((f) => (
        <li key={f.id} class="fr-mb-3w">
          <a class="fr-link" href={`/faq/${f.number}`}>
            {faqLabel(f)}
          </a>
          <p class="fr-text--sm fr-mb-0">
            {[f.applicationName, f.themeName].filter(Boolean).join(' › ')}
            {f.applicationName ? ' — ' : ''}
            Publiée le <time dateTime={isoDate(f.publishedAt)}>{formatDate(f.publishedAt)}</time>
          </p>
        </li>
      ))}
    </ul>
  );
}

function Pager({ first, nextHref, firstHref }: { first: boolean; nextHref: string | null; firstHref: string }) {
  const links: ComponentChildren[] = [];
  if (!first) {
    links.push(
      <li key="first">
        <a class="fr-pagination__link fr-pagination__link--first" href={firstHref}>
          Première page
        </a>
      </li>,
    );
  }
  if (nextHref) {
    links.push(
      <li key="next">
        <a class="fr-pagination__link fr-pagination__link--next fr-pagination__link--lg-label" href={nextHref}>
          Questions suivantes
        </a>
      </li>,
    );
  }
  if (links.length === 0) return null;
  return (
    <nav role="navigation" class="fr-pagination" aria-label="Pagination">
      <ul class="fr-pagination__list">{links}</ul>
    </nav>
  );
}
