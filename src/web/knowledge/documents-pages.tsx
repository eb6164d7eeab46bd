/**
 * Pages of the « Base documentaire »: browsing by application and theme, and a document's page
 * (also its preview for editors).
 */

import { isStaff } from '../../domain/access.js';
import { fileDetail } from '../../domain/knowledge/documents-files.js';
import type { DocumentCard } from '../../domain/knowledge/documents-queries.js';
import { AUDIENCE_LABELS } from '../../domain/knowledge/policy.js';
import type { Referentials } from '../../domain/referentials/referentials.js';
import { Alert } from '../components/form.js';
import { Page } from '../layout/page.js';
import { formatDate } from '../shared/format.js';
import type { ViewContext } from '../shared/view-context.js';

export const BASE = '/base-documentaire';
export const documentHref = (id: number) => `${BASE}/documents/${id}`;
export const fileHref = (id: number) => `${documentHref(id)}/fichier`;
export const versionHref = (id: number, version: number) => `${documentHref(id)}/versions/${version}`;

type App = Referentials['applications'][number];
type Theme = Referentials['themes'][number];
export type FaqLine = { number: number; title: string };

/** The DSFR download link: « Télécharger … » and « PDF – 1,2 Mo » under it. */
export function DownloadLink({
  href,
  label,
  mediaType,
  sizeBytes,
}: {
  href: string;
  label: string;
  mediaType: string;
  sizeBytes: number;
}) {
  return (
    <a class="fr-link fr-link--download" download href={href}>
      {label}
      <span class="fr-link__detail">{fileDetail(mediaType, sizeBytes)}</span>
    </a>
  );
}

function DocumentCardView({ doc, headingLevel }: { doc: DocumentCard; headingLevel: 'h2' | 'h3' }) {
  const Heading = headingLevel;
  return (
    <div class="fr-card fr-card--sm">
      <div class="fr-card__body">
        <div class="fr-card__content">
          <Heading class="fr-card__title">
            <a href={documentHref(doc.id)}>{doc.title}</a>
          </Heading>
          {doc.summary && <p class="fr-card__desc">{doc.summary}</p>}
          <div class="fr-card__start">
            <p class="fr-card__detail">{[doc.applicationName, doc.themeName].filter(Boolean).join(' › ')}</p>
          </div>
          <div class="fr-card__end">
            {doc.publishedAt && <p class="fr-card__detail">Publié le {formatDate(doc.publishedAt)}</p>}
            {doc.mediaType && doc.sizeBytes !== null && (
              <p class="fr-mb-0">
                <DownloadLink
                  href={fileHref(doc.id)}
                  label={`Télécharger « ${doc.title} »`}
                  mediaType={doc.mediaType}
                  sizeBytes={Number(doc.sizeBytes)}
                />
              </p>
            )}
          </div>
        </div>
      </div>
    </div>
  );
}

export function DocumentCards({ docs, headingLevel = 'h3' }: { docs: DocumentCard[]; headingLevel?: 'h2' | 'h3' }) {
  return (
    <ul class="fr-grid-row fr-grid-row--gutters fr-raw-list">
      {docs.map((d) => (
        <li class="fr-col-12 fr-col-md-6" key={d.id}>
          <DocumentCardView doc={d} headingLevel={headingLevel} />
        </li>
      ))}
    </ul>
  );
}

function SideMenu({ apps, themes, current, theme }: { apps: App[]; themes: Theme[]; current?: App; theme?: Theme }) {
  const item = (active: boolean) => `fr-sidemenu__item${active ? ' fr-sidemenu__item--active' : ''}`;
  return (
    <nav class="fr-sidemenu" role="navigation" aria-labelledby="sidemenu-title">
      <div class="fr-sidemenu__inner">
        <button class="fr-sidemenu__btn" aria-controls="sidemenu-collapse" aria-expanded="false" type="button">
          Thématique
        </button>
        <div class="fr-collapse" id="sidemenu-collapse">
          <p class="fr-sidemenu__title" id="sidemenu-title">
            Thématique
          </p>
          <ul class="fr-sidemenu__list">
            {apps.map((a) => (
              <li class={item(a.id === current?.id)} key={a.id}>
                <a
                  class="fr-sidemenu__link"
                  href={`${BASE}?application=${a.id}`}
                  aria-current={a.id === current?.id && !theme ? 'page' : undefined}
                >
                  {a.name}
                </a>
                {a.id === current?.id && themes.length > 0 && (
                  <ul class="fr-sidemenu__list">
                    {themes.map((t) => (
                      <li class={item(t.id === theme?.id)} key={t.id}>
                        <a
                          class="fr-sidemenu__link"
                          href={`${BASE}?application=${a.id}&theme=${t.id}`}
                          aria-current={t.id === theme?.id ? 'page' : undefined}
                        >
                          {t.name}
                        </a>
                      </li>
                    ))}
                  </ul>
                )}
              </li>
            ))}
          </ul>
        </div>
      </div>
    </nav>
  );
}

function SearchLink() {
  return (
    <p>
      <a class="fr-link fr-icon-search-line fr-link--icon-left" href="/recherche">
        Rechercher dans la base documentaire
      </a>
    </p>
  );
}

export type BrowseData = {
  apps: App[];
  themes: Theme[];
  current?: App;
  theme?: Theme;
  docs: DocumentCard[];
  faq: FaqLine[];
};

export function BrowsePage({ ctx, data }: { ctx: ViewContext; data: BrowseData }) {
  const { current, theme, docs, faq } = data;
  const title = ['Base documentaire', current?.name, theme?.name].filter(Boolean).join(' – ');
  const breadcrumb = [
    { label: 'Accueil', href: '/' },
    { label: 'Base documentaire', href: current ? BASE : undefined },
    ...(current ? [{ label: current.name, href: theme ? `${BASE}?application=${current.id}` : undefined }] : []),
    ...(theme ? [{ label: theme.name }] : []),
  ];
  return (
    <Page ctx={ctx} title={title} breadcrumb={breadcrumb}>
      <div class="fr-grid-row fr-grid-row--gutters">
        <div class="fr-col-12 fr-col-md-3">
          <SideMenu apps={data.apps} themes={data.themes} current={current} theme={theme} />
        </div>
        <div class="fr-col-12 fr-col-md-9">
          <h1>{title}</h1>
          <SearchLink />
          {!current ? (
            <p>Choisissez une application, puis une thématique, dans le menu « Thématique ».</p>
          ) : (
            <>
              <h2 class="fr-h4">F.A.Q.</h2>
              {faq.length ? (
                <ul>
                  {faq.map((f) => (
                    <li key={f.number}>
                      <a href={`/faq/${f.number}`}>{`${f.number} - ${f.title}`}</a>
                    </li>
                  ))}
                </ul>
              ) : (
                <p>Aucune question pour cette thématique.</p>
              )}
              <h2 class="fr-h4">Documents</h2>
              {docs.length ? <DocumentCards docs={docs} /> : <p>Aucun document pour cette thématique.</p>}
            </>
          )}
        </div>
      </div>
    </Page>
  );
}

export type Version = {
  version: number;
  originalName: string;
  mediaType: string;
  sizeBytes: number;
  createdAt: Date;
};

/** The document as readers see it (also in the editors' « Aperçu »). */
export function DocumentView({ doc, versions, showAudience }: { doc: DocumentCard; versions: Version[]; showAudience: boolean }) {
  const [latest, ...older] = versions;
  return (
    <>
      <h1>{doc.title}</h1>
      <ul class="fr-tags-group">
        {doc.applicationName && <li class="fr-tag">{doc.applicationName}</li>}
        {doc.themeName && <li class="fr-tag">{doc.themeName}</li>}
      </ul>
      {showAudience && <p class="fr-text--sm">Lecteurs : {AUDIENCE_LABELS[doc.audience]}</p>}
      {doc.publishedAt && <p class="fr-text--sm">Publié le {formatDate(doc.publishedAt)}</p>}
      {doc.summary && <p class="fr-text--lead guichet-text">{doc.summary}</p>}
      {latest && (
        <p>
          <DownloadLink
            href={fileHref(doc.id)}
            label={`Télécharger « ${doc.title} » (version ${latest.version})`}
            mediaType={latest.mediaType}
            sizeBytes={Number(latest.sizeBytes)}
          />
        </p>
      )}
      {older.length > 0 && (
        <>
          <h2 class="fr-h4">Versions précédentes</h2>
          <ul>
            {older.map((v) => (
              <li key={v.version}>
                <DownloadLink
                  href={versionHref(doc.id, v.version)}
                  label={`Version ${v.version} du ${formatDate(v.createdAt)}`}
                  mediaType={v.mediaType}
                  sizeBytes={Number(v.sizeBytes)}
                />
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}

export function DocumentPage({
  ctx,
  doc,
  versions,
  preview,
}: {
  ctx: ViewContext;
  doc: DocumentCard;
  versions: Version[];
  preview?: boolean;
}) {
  const staff = isStaff(ctx.actor);
  const breadcrumb = preview
    ? [
        { label: 'Accueil', href: '/' },
        { label: 'Rédaction', href: '/redaction' },
        { label: 'Documents', href: '/redaction/documents' },
        { label: doc.title, href: `/redaction/documents/${doc.id}` },
        { label: 'Aperçu' },
      ]
    : [
        { label: 'Accueil', href: '/' },
        { label: 'Base documentaire', href: BASE },
        ...(doc.applicationId ? [{ label: doc.applicationName ?? '', href: `${BASE}?application=${doc.applicationId}` }] : []),
        { label: doc.title },
      ];
  return (
    <Page ctx={ctx} title={preview ? `Aperçu – ${doc.title}` : doc.title} breadcrumb={breadcrumb}>
      {preview && (
        <Alert kind="info" title="Aperçu">
          <p>
            Le document tel que les lecteurs le verront{doc.published ? '.' : ' une fois publié.'}{' '}
            <a href={`/redaction/documents/${doc.id}`}>Retour à la rédaction</a>
          </p>
        </Alert>
      )}
      {!preview && !doc.published && (
        <Alert kind="warning" title="Ce document n’est pas publié">
          <p>Seuls les rédacteurs le voient.</p>
        </Alert>
      )}
      <DocumentView doc={doc} versions={versions} showAudience={staff} />
      <SearchLink />
    </Page>
  );
}
