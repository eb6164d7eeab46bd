import { canUse } from '../../domain/access.js';
import type { NewsItem } from '../../domain/knowledge/news.js';
import type { DeskCounters } from '../../domain/requests/desk.js';
import type { ListRow } from '../../domain/requests/list-queries.js';
import { RequestTable } from '../components/requests.js';
import { NewsSection } from '../knowledge/news-pages.js';
import { Page } from '../layout/page.js';
import type { ViewContext } from '../shared/view-context.js';

export type HomeData = {
  applications: string[];
  /** Every current news item the visitor may read, newest first. */
  news: NewsItem[];
  faq: { number: number; title: string }[];
  latest: ListRow[];
  /** The requester's requests waiting for their answer. */
  awaiting: { number: number; subject: string }[];
  /** The desk's counters (staff only). */
  counters: DeskCounters | null;
};

export function HomePage({ ctx, data }: { ctx: ViewContext; data: HomeData }) {
  const welcome = ctx.settings.welcomeText.replace('{applications}', data.applications.join(', '));
  const requester = canUse(ctx.actor, 'fileRequest');
  return (
    <Page ctx={ctx} title="Accueil">
      <h1 class="fr-sr-only">Accueil</h1>
      {requester && <RequesterStart awaiting={data.awaiting} />}
      {data.counters && <DeskStart counters={data.counters} latest={data.latest} />}
      <div class="fr-grid-row fr-grid-row--gutters">
        <section class="fr-col-12 fr-col-md-6" aria-labelledby="welcome-title">
          <h2 id="welcome-title">Bienvenue</h2>
          {welcome.split(/\n{2,}/).map((paragraph) => (
            <p key={paragraph}>{paragraph}</p>
          ))}
        </section>
        <div class="fr-col-12 fr-col-md-6">
          <NewsSection items={data.news} />
          <section aria-labelledby="faq-title">
            <h2 id="faq-title">F.A.Q.</h2>
            <h3 class="fr-h6">Dernières réponses</h3>
            <ul>
              {data.faq.map((f) => (
                <li key={f.number}>
                  <a href={`/faq/${f.number}`}>{`${f.number} - ${f.title}`}</a>
                </li>
              ))}
            </ul>
            <p>
              <a class="fr-link fr-icon-arrow-right-line fr-link--icon-right" href="/faq">
                Toutes les questions
              </a>
            </p>
          </section>
        </div>
      </div>
      {requester && (
        <section class="fr-mt-6w" aria-labelledby="latest-title">
          <h2 id="latest-title">Mes dernières demandes</h2>
          {data.latest.length ? (
            <RequestTable caption="Mes dernières demandes" rows={data.latest} captionHidden />
          ) : (
            <p>Vous n’avez encore déposé aucune demande.</p>
          )}
          <p>
            <a class="fr-link fr-icon-arrow-right-line fr-link--icon-right" href="/demandes">
              Toutes mes demandes
            </a>
          </p>
        </section>
      )}
    </Page>
  );
}

/** How many of the desk's most urgent requests its home lists. */
export const DESK_SHOWN = 10;

const COUNTERS: { key: keyof DeskCounters; label: string; href: string }[] = [
  { key: 'fresh', label: 'Nouvelles', href: '/guichet?statut=new' },
  { key: 'late', label: 'En retard', href: '/guichet?echeance=en-retard' },
  { key: 'mine', label: 'Les miennes', href: '/guichet/en-charge' },
  { key: 'awaitingRequester', label: 'En attente du demandeur', href: '/guichet?statut=awaiting_info' },
  { key: 'unread', label: 'Informations ajoutées depuis ma dernière visite', href: '/guichet/en-charge?nonlu=oui' },
];

/** The desk's day: what waits for the agent, counted, then the most urgent open requests. */
function DeskStart({ counters, latest }: { counters: DeskCounters; latest: ListRow[] }) {
  return (
    <div class="fr-mb-6w">
      <section aria-labelledby="counters-title">
        <h2 id="counters-title">Votre guichet aujourd’hui</h2>
        <ul class="desk-counters">
          {COUNTERS.map((c) => (
            <li key={c.key}>
              <a class="desk-counter" href={c.href}>
                <span class="desk-counter__figure">{counters[c.key]}</span> <span class="desk-counter__label">{c.label}</span>
              </a>
            </li>
          ))}
        </ul>
      </section>
      <section class="fr-mt-4w" aria-labelledby="desk-title">
        <h2 id="desk-title">Les plus urgentes</h2>
        {latest.length ? (
          <RequestTable
            caption="Demandes ouvertes, de l’échéance la plus proche à la plus lointaine"
            rows={latest}
            desk
            captionHidden
          />
        ) : (
          <p>Aucune demande ouverte.</p>
        )}
        <p>
          <a class="fr-link fr-icon-arrow-right-line fr-link--icon-right" href="/guichet">
            Ouvrir le guichet
          </a>
        </p>
      </section>
    </div>
  );
}

/** How many waiting requests the home page lists (the route asks for no more). */
export const AWAITING_SHOWN = 10;

/** What a requester comes for, first: the requests the desk waits on them for, and filing a new one. */
function RequesterStart({ awaiting }: { awaiting: HomeData['awaiting'] }) {
  return (
    <div class="fr-mb-4w">
      {awaiting.length > 0 && (
        <section class="fr-callout fr-callout--blue-ecume" aria-labelledby="awaiting-title">
          <h2 id="awaiting-title" class="fr-callout__title fr-h5">
            L’assistance attend votre réponse
          </h2>
          <ul class="fr-callout__text fr-mb-0">
            {awaiting.map((r) => (
              <li key={r.number}>
                <a href={`/demandes/${r.number}`}>{`Demande n° ${r.number} : ${r.subject}`}</a>
              </li>
            ))}
          </ul>
          {awaiting.length >= AWAITING_SHOWN && (
            <p class="fr-mt-2w fr-mb-0">
              <a href="/demandes?statut=awaiting_info">Toutes mes demandes en attente de complément</a>
            </p>
          )}
        </section>
      )}
      <p class="fr-mt-3w fr-mb-0">
        <a class="fr-btn fr-icon-add-line fr-btn--icon-left" href="/demandes/nouvelle">
          Déposer une nouvelle demande
        </a>
      </p>
    </div>
  );
}
