import { Csrf, type FormState } from '../components/form.js';
import { Page } from '../layout/page.js';
import type { ViewContext } from '../shared/view-context.js';

export function LoginPage({
  ctx,
  form,
  next,
  error,
  proconnect = false,
}: {
  ctx: ViewContext;
  form: FormState;
  next: string;
  error?: string;
  /** ProConnect is configured: its button comes before the password form. */
  proconnect?: boolean;
}) {
  return (
    <Page ctx={ctx} title="Connexion" failed={Boolean(error)}>
      <div class="fr-grid-row fr-grid-row--gutters fr-grid-row--center">
        <div class="fr-col-12 fr-col-md-8 fr-col-lg-6">
          <div class="fr-background-alt--grey fr-px-4w fr-pt-6w fr-pb-4w">
            <p>
              Bienvenue sur le site d’assistance des applications des Ministères sociaux, munissez-vous de vos identifiants reçus
              par mail pour vous connecter à votre espace personnel.
            </p>
            <p>
              Si vous ne disposez pas de compte, nous vous remercions de créer directement votre compte en cliquant sur le bouton
              « Demande de compte » ci-dessous.
            </p>
            <h1 class="fr-h3">Connexion</h1>
            {error && (
              <div class="fr-alert fr-alert--error fr-alert--sm fr-mb-3w" role="alert" id="login-error" tabindex={-1}>
                <p>{error}</p>
              </div>
            )}
            {proconnect && <ProConnectButton ctx={ctx} next={next} />}
            <form method="post" action="/connexion" id="login-form">
              <Csrf token={ctx.csrfToken} />
              <input type="hidden" name="next" value={next} />
              <fieldset class="fr-fieldset" id="login-fieldset" aria-labelledby="login-fieldset-legend">
                <legend class="fr-fieldset__legend fr-sr-only" id="login-fieldset-legend">
                  Vos identifiants
                </legend>
                <div class="fr-fieldset__element">
                  <div class="fr-input-group">
                    <label class="fr-label" for="login">
                      Identifiant
                    </label>
                    <input
                      class="fr-input"
                      id="login"
                      name="login"
                      type="text"
                      autocomplete="username"
                      autocapitalize="off"
                      spellcheck={false}
                      required
                      aria-required="true"
                      value={form.values.login ?? ''}
                      aria-describedby={error ? 'login-error' : undefined}
                    />
                  </div>
                </div>
                <div class="fr-fieldset__element">
                  <div class="fr-password" id="password-group">
                    <label class="fr-label" for="password">
                      Mot de passe
                    </label>
                    <div class="fr-input-wrap">
                      <input
                        class="fr-password__input fr-input"
                        id="password"
                        name="password"
                        type="password"
                        autocomplete="current-password"
                        autocapitalize="off"
                        required
                        aria-required="true"
                        maxLength={1024}
                      />
                    </div>
                    <div class="fr-password__checkbox fr-checkbox-group fr-checkbox-group--sm">
                      <input aria-label="Afficher le mot de passe" id="password-show" type="checkbox" />
                      <label class="fr--password__checkbox fr-label" for="password-show">
                        Afficher
                      </label>
                    </div>
                  </div>
                </div>
                <div class="fr-fieldset__element">
                  <div class="fr-checkbox-group fr-checkbox-group--sm">
                    <input name="remember" id="remember" type="checkbox" value="1" checked={form.values.remember === '1'} />
                    <label class="fr-label" for="remember">
                      Se souvenir de moi
                    </label>
                  </div>
                </div>
                <div class="fr-fieldset__element">
                  <p>
                    <a class="fr-link" href="/mot-de-passe-oublie">
                      Mot de passe oublié ?
                    </a>
                  </p>
                </div>
                <div class="fr-fieldset__element">
                  <ul class="fr-btns-group">
                    <li>
                      <button class="fr-btn" type="submit">
                        Connexion
                      </button>
                    </li>
                  </ul>
                </div>
              </fieldset>
            </form>
            <hr />
            <h2 class="fr-h5">Vous n’avez pas de compte ?</h2>
            <ul class="fr-btns-group">
              <li>
                <a class="fr-btn fr-btn--secondary" href="/demande-de-compte">
                  Demande de compte
                </a>
              </li>
            </ul>
          </div>
        </div>
      </div>
    </Page>
  );
}

/** The DSFR ProConnect button (component « Bouton FranceConnect », variant --pro). */
function ProConnectButton({ ctx, next }: { ctx: ViewContext; next: string }) {
  return (
    <>
      <form method="post" action="/connexion/proconnect" id="proconnect-form">
        <Csrf token={ctx.csrfToken} />
        <input type="hidden" name="next" value={next} />
        <div class="fr-connect-group">
          <button class="fr-connect fr-connect--pro" type="submit">
            <span class="fr-connect__login">S’identifier avec</span> <span class="fr-connect__brand">ProConnect</span>
          </button>
          <p>
            <a
              href="https://www.proconnect.gouv.fr/"
              target="_blank"
              rel="noopener"
              title="Qu’est-ce que ProConnect ? - nouvelle fenêtre"
            >
              Qu’est-ce que ProConnect ?
            </a>
          </p>
        </div>
      </form>
      <p class="fr-hr-or">ou</p>
    </>
  );
}
