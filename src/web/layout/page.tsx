import type { ComponentChildren } from 'preact';
import { canEdit } from '../../domain/knowledge/policy.js';
import { canUse } from '../../domain/requests/policy.js';
import type { ViewContext } from '../view-context.js';

type PageProps = {
  ctx: ViewContext;
  title: string;
  /** After a refused form: the title starts with « Erreur – ». */
  failed?: boolean;
  breadcrumb?: { label: string; href?: string }[];
  children: ComponentChildren;
};

const ASSETS = '/dsfr';

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
        <link rel="stylesheet" href="/static/app.css" />
        <noscript>
          <link rel="stylesheet" href="/static/no-js.css" />
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
        <script type="module" src="/static/app.js" />
      </body>
    </html>
  );
}

function MinistryName({ name }: { name: string }) {
  const lines = name.split('\n');
  return (
    <p class="fr-logo">
      {lines.map((line, i) => (
        <>
          {i > 0 && <br />}
          {line}
        </>
      ))}
    </p>
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
    { href: '/', label: 'Accueil', show: true },
    { href: '/demandes', label: 'Mes demandes', show: canUse(ctx.actor, 'fileRequest') },
    { href: '/base-documentaire', label: 'Base documentaire', show: true },
    { href: '/guichet', label: 'Guichet', show: canUse(ctx.actor, 'desk') },
    { href: '/guichet/en-charge', label: 'Mes demandes en charge', show: canUse(ctx.actor, 'desk') },
    { href: '/redaction', label: 'Rédaction', show: canEdit(ctx.actor) },
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

function Footer({ ctx }: { ctx: ViewContext }) {
  const external = [
    ['info.gouv.fr', 'https://www.info.gouv.fr'],
    ['service-public.gouv.fr', 'https://www.service-public.gouv.fr'],
    ['legifrance.gouv.fr', 'https://www.legifrance.gouv.fr'],
    ['data.gouv.fr', 'https://www.data.gouv.fr'],
  ];
  return (
    <footer class="fr-footer" role="contentinfo" id="footer">
      <div class="fr-container">
        <div class="fr-footer__body">
          <div class="fr-footer__brand fr-enlarge-link">
            <a href="/" title={`Retour à l’accueil du site - ${ctx.settings.serviceName}`}>
              <MinistryName name={ctx.settings.ministryName} />
            </a>
          </div>
          <div class="fr-footer__content">
            <p class="fr-footer__content-desc">
              {ctx.settings.serviceName} : le portail où les centres de formation et les services de l’État signalent un problème
              et suivent son traitement.
            </p>
            <ul class="fr-footer__content-list">
              {external.map(([label, href]) => (
                <li class="fr-footer__content-item" key={label}>
                  <a
                    class="fr-footer__content-link"
                    href={href}
                    target="_blank"
                    rel="noopener external"
                    title={`${label} - nouvelle fenêtre`}
                  >
                    {label}
                  </a>
                </li>
              ))}
            </ul>
          </div>
        </div>
        <div class="fr-footer__bottom">
          <ul class="fr-footer__bottom-list">
            <li class="fr-footer__bottom-item">
              <a class="fr-footer__bottom-link" href="/accessibilite">
                {`Accessibilité : ${ctx.settings.accessibilityStatus}`}
              </a>
            </li>
            <li class="fr-footer__bottom-item">
              <a class="fr-footer__bottom-link" href="/mentions-legales">
                Mentions légales
              </a>
            </li>
            <li class="fr-footer__bottom-item">
              <a class="fr-footer__bottom-link" href="/donnees-personnelles">
                Données personnelles
              </a>
            </li>
            <li class="fr-footer__bottom-item">
              <a class="fr-footer__bottom-link" href="/cookies">
                Gestion des cookies
              </a>
            </li>
            <li class="fr-footer__bottom-item">
              <button
                class="fr-footer__bottom-link fr-icon-theme-fill fr-btn--icon-left"
                aria-controls="fr-theme-modal"
                data-fr-opened="false"
                type="button"
              >
                Paramètres d’affichage
              </button>
            </li>
          </ul>
          <div class="fr-footer__bottom-copy">
            <p>
              Sauf mention explicite de propriété intellectuelle détenue par des tiers, les contenus de ce site sont proposés sous{' '}
              <a
                href="https://github.com/etalab/licence-ouverte/blob/master/LO.md"
                target="_blank"
                rel="noopener external"
                title="Licence etalab - nouvelle fenêtre"
              >
                licence etalab-2.0
              </a>
            </p>
          </div>
        </div>
      </div>
    </footer>
  );
}

/** The DSFR light / dark / system choice (needs JavaScript; the system setting applies without it). */
function DisplaySettings() {
  const themes = [
    ['light', 'Thème clair', null],
    ['dark', 'Thème sombre', null],
    ['system', 'Système', 'Utilise les paramètres système.'],
  ] as const;
  return (
    <dialog id="fr-theme-modal" class="fr-modal" aria-labelledby="fr-theme-modal-title">
      <div class="fr-container fr-container--fluid fr-container-md">
        <div class="fr-grid-row fr-grid-row--center">
          <div class="fr-col-12 fr-col-md-6 fr-col-lg-4">
            <div class="fr-modal__body">
              <div class="fr-modal__header">
                <button class="fr-btn--close fr-btn" aria-controls="fr-theme-modal" title="Fermer" type="button">
                  Fermer
                </button>
              </div>
              <div class="fr-modal__content">
                <h2 id="fr-theme-modal-title" class="fr-modal__title">
                  Paramètres d’affichage
                </h2>
                <div id="fr-display" class="fr-display">
                  <fieldset class="fr-fieldset" id="display-fieldset">
                    <legend class="fr-fieldset__legend--regular fr-fieldset__legend" id="display-fieldset-legend">
                      Choisissez un thème pour personnaliser l’apparence du site.
                    </legend>
                    {themes.map(([value, label, hint]) => (
                      <div class="fr-fieldset__element" key={value}>
                        <div class="fr-radio-group fr-radio-rich">
                          <input value={value} type="radio" id={`fr-radios-theme-${value}`} name="fr-radios-theme" />
                          <label class="fr-label" for={`fr-radios-theme-${value}`}>
                            {label}
                            {hint && ' '}
                            {hint && <span class="fr-hint-text">{hint}</span>}
                          </label>
                          <div class="fr-radio-rich__img">
                            <img src={`${ASSETS}/artwork/${value}.svg`} alt="" />
                          </div>
                        </div>
                      </div>
                    ))}
                  </fieldset>
                </div>
              </div>
            </div>
          </div>
        </div>
      </div>
    </dialog>
  );
}
