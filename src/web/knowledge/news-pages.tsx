/**
 * « Actualité » for readers: the news block of the home page and /actualites (current and past).
 */
import { lastDayOf, type NewsItem, parisDay } from '../../domain/knowledge/news.js';
import { Page } from '../layout/page.js';
import { formatDate, isoDate } from '../shared/format.js';
import type { ViewContext } from '../shared/view-context.js';
import { RichText } from './faq-rich-text.js';

/** « Publiée du 17/01/2019 au 31/01/2019 », or « Publiée le 17/01/2019 » without an end. */
export function newsWindow(item: Pick<NewsItem, 'startsAt' | 'endsAt'>): string {
  const start = formatDate(item.startsAt);
  if (!item.endsAt) return `Publiée le ${start}`;
  return `Publiée du ${start} au ${formatDate(parisDay(lastDayOf(item.endsAt)))}`;
}

/** One news item as a DSFR callout; `level` is the heading level of its title. */
export function NewsCallout({ item, level = 3 }: { item: NewsItem; level?: 2 | 3 }) {
  const Heading = level === 2 ? 'h2' : 'h3';
  return (
    <div class="fr-callout fr-mb-3w">
      <Heading class="fr-callout__title fr-h6">{item.title}</Heading>
      <p class="fr-text--xs fr-mb-1w">
        <time dateTime={isoDate(item.startsAt)}>{newsWindow(item)}</time>
      </p>
      <RichText source={item.body} class="fr-callout__text fr-text--sm guichet-text" />
    </div>
  );
}

/** The home page's « Actualité »: every current item, newest first. */
export function NewsSection({ items }: { items: NewsItem[] }) {
  if (items.length === 0) return null;
  return (
    <section class="fr-mb-4w" aria-labelledby="news-title">
      <h2 id="news-title">Actualité</h2>
      {items.map((item) => (
        <NewsCallout key={item.id} item={item} />
      ))}
      <p>
        <a class="fr-link fr-icon-arrow-right-line fr-link--icon-right" href="/actualites">
          Toutes les actualités
        </a>
      </p>
    </section>
  );
}

export function NewsArchivePage({ ctx, items }: { ctx: ViewContext; items: (NewsItem & { current: boolean })[] }) {
  const current = items.filter((i) => i.current);
  const past = items.filter((i) => !i.current);
  return (
    <Page ctx={ctx} title="Actualités" breadcrumb={[{ label: 'Accueil', href: '/' }, { label: 'Actualités' }]}>
      <h1>Actualités</h1>
      <section aria-labelledby="current-news" class="fr-mb-6w">
        <h2 id="current-news">En ce moment</h2>
        {current.length ? (
          current.map((item) => <NewsCallout key={item.id} item={item} />)
        ) : (
          <p>Aucune actualité en ce moment.</p>
        )}
      </section>
      <section aria-labelledby="past-news">
        <h2 id="past-news">Actualités passées</h2>
        {past.length ? past.map((item) => <NewsCallout key={item.id} item={item} />) : <p>Aucune actualité passée.</p>}
      </section>
    </Page>
  );
}
