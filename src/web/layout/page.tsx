import type { ComponentChildren } from 'preact';
import { canEdit, canUse } from '../../domain/access.js';
import { ASSETS, STATIC } from '../plugins/assets.js';
import type { ViewContext } from '../shared/view-context.js';
import { DisplaySettings, Footer, MinistryName } from './footer.js';

type PageProps = {
  ctx: ViewContext;
  title: string;
  /** After a refused form: the title starts with « Erreur – ». */
  failed?: boolean;
  breadcrumb?: { label: string; href?: string }[];
  children: ComponentChildren;
};

/** The frame of every page: skip links, header, navigation, main, footer, display settings. */
export function Page({ ctx, title, failed, breadcrumb, children }: PageProps) {
  const { settings } = ctx;
  return (
    <html lang="fr" data-fr-scheme="system">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1, shrink-to-fit=no" />
        <meta name="format-detection" content="telephone=no,date=no,address=no,email=no,url=no" />
        <meta name="theme-color" content="#000091" />
        <title>{`${failed ? 'Erreur – ' : ''}${title} – ${settings.serviceName}`}</title>
        <link rel="icon" href={`${ASSETS}/favicon/favicon.svg`} type="image/svg+xml" />
        <link rel="stylesheet" href={`${ASSETS}/dsfr.min.css`} />
        <link rel="stylesheet" href={`${ASSETS}/utility/utility.min.css`} />
        <link rel="stylesheet" href={`${STATIC}/app.css`} />
        <noscript>
          <link rel="stylesheet" href={`${STATIC}/no-js.css`} />
        </noscript>
      </head>
      <body>
        <div class="fr-skiplinks">
          <nav class="fr-container" role="navigation" aria-label="Accès rapide">
            <ul class="fr-skiplinks__list">
              <li>
                <a class="fr-link" href="#content">
                  Contenu
                </a>
              </li>
              <li>
                <a class="fr-link" href="#navigation">
                  Menu
                </a>
              </li>
              <li>
                <a class="fr-link" href="#footer">
                  Pied de page
                </a>
              </li>
            </ul>
          </nav>
        </div>
        <Header ctx={ctx} />
        <main id="content" class="fr-container fr-mb-8w" tabindex={-1}>
          {breadcrumb && <Breadcrumb items={breadcrumb} />}
          {!breadcrumb && <div class="fr-mt-4w" />}
          {children}
        </main>
        <Footer ctx={ctx} />
        <DisplaySettings />
        <script type="module" src={`${ASSETS}/dsfr.module.min.js`} />
        <script noModule src={`${ASSETS}/dsfr.nomodule.min.js`} />
        <script type="module" src={`${STATIC}/app.js`} />
        {canUse(ctx.actor, 'desk') && <script type="module" src={`${STATIC}/desk-keys.js`} />}
      </body>
    </html>
  );
}

function Header({ ctx }: { ctx: ViewContext }) {
  const { settings, actor } = ctx;
  const phoneHref = `tel:+33${settings.supportPhone.replace(/\s/g, '').slice(1)}`;
  return (
    <header role="banner" class="fr-header">
      <div class="fr-header__body">
        <div class="fr-container">
          <div class="fr-header__body-row">
            <div class="fr-header__brand fr-enlarge-link">
              <div class="fr-header__brand-top">
                <div class="fr-header__logo">
                  <MinistryName name={settings.ministryName} />
                </div>
                <div class="fr-header__navbar">
                  <button
                    class="fr-btn--search fr-btn"
                    data-fr-opened="false"
                    aria-controls="modal-search"
                    title="Rechercher"
                    type="button"
                  >
                    Rechercher
                  </button>
                  <button
                    class="fr-btn--menu fr-btn"
                    data-fr-opened="false"
                    aria-controls="modal-menu"
                    aria-haspopup="menu"
                    id="button-menu"
                    title="Menu"
                    type="button"
                  >
                    Menu
                  </button>
                </div>
              </div>
              <div class="fr-header__service">
                <a href="/" title={`Accueil - ${settings.serviceName}`}>
                  <p class="fr-header__service-title">{settings.serviceName}</p>
                </a>
                <p class="fr-header__service-tagline">Le support des centres et des services de l’État</p>
              </div>
            </div>
            <div class="fr-header__tools">
              <div class="fr-header__tools-links">
                <ToolLinks ctx={ctx} phoneHref={phoneHref} />
              </div>
              <HeaderSearch />
            </div>
          </div>
        </div>
      </div>
      {/* No aria-labelledby: without JavaScript this is a plain block, where it is not allowed; DSFR's script
          names the menu after its « Menu » button when it makes it a dialog (small screens). */}
      <div class="fr-header__menu fr-modal" id="modal-menu">
        <div class="fr-container">
          <button class="fr-btn--close fr-btn" aria-controls="modal-menu" title="Fermer" type="button">
            Fermer
          </button>
          <div class="fr-header__menu-links" />
          {actor && <MainNav ctx={ctx} />}
          {!actor && <span id="navigation" />}
        </div>
      </div>
    </header>
  );
}

/** The search of the whole portal (`/recherche`), for everyone; a plain GET form. */
function HeaderSearch() {
  return (
    <div class="fr-header__search fr-modal" id="modal-search">
      <div class="fr-container fr-container-lg--fluid">
        <button class="fr-btn--close fr-btn" aria-controls="modal-search" title="Fermer" type="button">
          Fermer
        </button>
        <form method="get" action="/recherche" role="search" aria-label="Rechercher sur le site">
          <div class="fr-search-bar" id="header-search">
            <label class="fr-label" for="header-search-input">
              Rechercher sur le site
            </label>
            <input class="fr-input" placeholder="Rechercher" type="search" id="header-search-input" name="q" maxlength={200} />
            <button class="fr-btn" title="Rechercher" type="submit">
              Rechercher
            </button>
          </div>
        </form>
      </div>
    </div>
  );
}

function ToolLinks({ ctx, phoneHref }: { ctx: ViewContext; phoneHref: string }) {
  const { settings, actor } = ctx;
  return (
    <ul class="fr-btns-group">
      <li>
        <a class="fr-btn fr-icon-phone-line" href={phoneHref}>
          {`${settings.supportPhone} · ${settings.supportHours}`}
        </a>
      </li>
      {actor && (
        <li>
          <a class="fr-btn fr-icon-account-circle-line" href="/mon-compte">
            {actor.displayName}
          </a>
        </li>
      )}
      {actor && (
        <li>
          <form method="post" action="/deconnexion" class="guichet-inline-form">
            <input type="hidden" name="_csrf" value={ctx.csrfToken} />
            <button type="submit" class="fr-btn fr-icon-logout-box-r-line">
              Se déconnecter
            </button>
          </form>
        </li>
      )}
      {!actor && (
        <li>
          <a class="fr-btn fr-icon-lock-line" href="/connexion">
            Se connecter
          </a>
        </li>
      )}
    </ul>
  );
}

function MainNav({ ctx }: { ctx: ViewContext }) {
  const entries: { href: string; label: string; show: boolean }[] = [
    { href: '/', label: 'Accueil', show: !ctx.actor || canUse(ctx.actor, 'portal') },
    { href: '/demandes', label: 'Mes demandes', show: canUse(ctx.actor, 'fileRequest') },
    { href: '/base-documentaire', label: 'Base documentaire', show: true },
    { href: '/guichet', label: 'Guichet', show: canUse(ctx.actor, 'desk') },
    { href: '/guichet/en-charge', label: 'Mes demandes en charge', show: canUse(ctx.actor, 'desk') },
    { href: '/redaction', label: 'Rédaction', show: canEdit(ctx.actor) },
    { href: '/pilotage', label: 'Pilotage', show: canUse(ctx.actor, 'pilotage') },
    { href: '/admin', label: 'Administration', show: canUse(ctx.actor, 'admin') },
  ];
  const within = (href: string) => (href === '/' ? ctx.path === '/' : ctx.path === href || ctx.path.startsWith(`${href}/`));
  // The most precise entry is the current one (« Mes demandes en charge » lives under « Guichet »).
  const current = (href: string) =>
    within(href) && !entries.some((e) => e.show && e.href.length > href.length && e.href.startsWith(href) && within(e.href));
  return (
    <nav class="fr-nav" id="navigation" role="navigation" aria-label="Menu principal">
      <ul class="fr-nav__list">
        {entries
          .filter((e) => e.show)
          .map((e) => (
            <li class="fr-nav__item" key={e.href}>
              <a class="fr-nav__link" href={e.href} aria-current={current(e.href) ? 'page' : undefined}>
                {e.label}
              </a>
            </li>
          ))}
      </ul>
    </nav>
  );
}

function Breadcrumb({ items }: { items: { label: string; href?: string }[] }) {
  return (
    <nav role="navigation" class="fr-breadcrumb" aria-label="vous êtes ici :">
      <button class="fr-breadcrumb__button" aria-expanded="false" aria-controls="breadcrumb-list" type="button">
        Voir le fil d’Ariane
      </button>
      <div class="fr-collapse" id="breadcrumb-list">
        <ol class="fr-breadcrumb__list">
          {items.map((item, i) => (
            <li key={item.label}>
              {item.href && i < items.length - 1 ? (
                <a class="fr-breadcrumb__link" href={item.href}>
                  {item.label}
                </a>
              ) : (
                <a class="fr-breadcrumb__link" aria-current="page">
                  {item.label}
                </a>
              )}
            </li>
          ))}
        </ol>
      </div>
    </nav>
  );
}
