/**
 * The ministry's brand block, the footer with its mandatory links, and the display settings dialog.
 */
import { ASSETS } from '../plugins/assets.js';
import type { ViewContext } from '../shared/view-context.js';

export function MinistryName({ name }: { name: string }) {
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

export function Footer({ ctx }: { ctx: ViewContext }) {
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
export function DisplaySettings() {
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
