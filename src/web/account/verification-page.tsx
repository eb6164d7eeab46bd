import { Csrf } from '../components/form.js';
import { Page } from '../layout/page.js';
import type { ViewContext } from '../shared/view-context.js';

export const CODE_HINT = '6 chiffres, affichés par votre application d’authentification';
export const RECOVERY_HINT = '10 caractères, par exemple ABCDE-23456 : l’un des codes de secours remis à l’activation';

/** A field for a one-time code, with its hint and its error next to it. */
export function CodeInput({
  name,
  label,
  hint,
  error,
  recovery,
  id = name,
}: {
  name: string;
  label: string;
  hint: string;
  error?: string;
  /** A recovery code (letters and digits) rather than six digits. */
  recovery?: boolean;
  id?: string;
}) {
  const messages = `${id}-messages`;
  return (
    <div class={`fr-input-group${error ? ' fr-input-group--error' : ''}`}>
      <label class="fr-label" for={id}>
        {label} * <span class="fr-hint-text">{hint}</span>
      </label>
      <input
        class={`fr-input${error ? ' fr-input--error' : ''}`}
        type="text"
        id={id}
        name={name}
        required
        aria-required="true"
        autocomplete={recovery ? 'off' : 'one-time-code'}
        inputmode={recovery ? 'text' : 'numeric'}
        autocapitalize={recovery ? 'characters' : 'off'}
        spellcheck={false}
        maxLength={recovery ? 20 : 10}
        aria-describedby={messages}
        aria-invalid={error ? 'true' : undefined}
      />
      <div class="fr-messages-group" id={messages} aria-live="polite">
        {error && <p class="fr-message fr-message--error">{error}</p>}
      </div>
    </div>
  );
}

/** The second step of the login: a code of the application, or a recovery code. */
export function VerificationPage({ ctx, recovery, error }: { ctx: ViewContext; recovery: boolean; error?: string }) {
  return (
    <Page ctx={ctx} title="Code de vérification" failed={Boolean(error)}>
      <div class="fr-grid-row fr-grid-row--gutters fr-grid-row--center">
        <div class="fr-col-12 fr-col-md-8 fr-col-lg-6">
          <div class="fr-background-alt--grey fr-px-4w fr-pt-6w fr-pb-4w">
            <h1 class="fr-h3">Double authentification</h1>
            <p>
              {recovery
                ? 'Saisissez l’un de vos codes de secours. Chaque code ne peut servir qu’une fois.'
                : 'Votre mot de passe est correct. Pour terminer la connexion, saisissez le code affiché par votre application d’authentification.'}
            </p>
            <form method="post" action="/connexion/verification" id="verification-form">
              <Csrf token={ctx.csrfToken} />
              {recovery ? (
                <CodeInput name="recoveryCode" label="Code de secours" hint={RECOVERY_HINT} error={error} recovery />
              ) : (
                <CodeInput name="code" label="Code de vérification" hint={CODE_HINT} error={error} />
              )}
              <ul class="fr-btns-group fr-mt-3w">
                <li>
                  <button class="fr-btn" type="submit">
                    Vérifier
                  </button>
                </li>
              </ul>
            </form>
            <p>
              {recovery ? (
                <a class="fr-link" href="/connexion/verification">
                  Utiliser plutôt un code de l’application d’authentification
                </a>
              ) : (
                <a class="fr-link" href="/connexion/verification?secours=1">
                  Vous n’avez pas accès à votre application ? Utiliser un code de secours
                </a>
              )}
            </p>
            <p>
              <a class="fr-link fr-icon-arrow-left-line fr-link--icon-left" href="/connexion">
                Retour à la connexion
              </a>
            </p>
          </div>
        </div>
      </div>
    </Page>
  );
}
