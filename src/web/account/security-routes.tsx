/**
 * « Double authentification » of « Mon compte »: turning the TOTP second factor on (QR code,
 * secret in text, first code, then the recovery codes shown once) and off (password and code).
 * Agents, experts and administrators only.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ComponentChildren } from 'preact';
import { confirmTotp, startTotpEnrolment, turnOffTotp } from '../../domain/accounts/second-factor.js';
import {
  type Enrolment,
  pendingEnrolment,
  RECOVERY_CODE_COUNT,
  type TotpStatus,
  totpRequired,
  totpStatus,
} from '../../domain/accounts/totp.js';
import { Alert, Csrf } from '../components/form.js';
import { Page } from '../layout/page.js';
import { actorOf, ENROLMENT_PATH, requireArea, viewContext } from '../plugins/actor-gate.js';
import { formatDate } from '../shared/format.js';
import { sendPage } from '../shared/render.js';
import { form, query, text, type ZodApp } from '../shared/schemas.js';
import type { ViewContext } from '../shared/view-context.js';
import { totpKey } from './second-factor.js';
import { CODE_HINT, CodeInput } from './verification-page.js';

const TITLE = 'Double authentification';

/** The three forms of the page post here, told apart by their `action`. */
const securityForm = form({ action: text, code: text, password: text });
type Errors = Partial<Record<'confirmCode' | 'password' | 'disableCode', string>>;

const CODE_MESSAGES: Record<string, string> = {
  invalid: 'Code incorrect : saisissez les 6 chiffres affichés en ce moment par votre application.',
  reused: 'Ce code a déjà été utilisé : attendez le code suivant de votre application.',
  used: 'Ce code de secours a déjà été utilisé : chaque code ne sert qu’une fois.',
  not_enabled: 'La double authentification n’est pas activée.',
  not_pending: 'La clé a expiré : recommencez l’activation.',
};

export async function securityRoutes(app: ZodApp) {
  const db = app.deps.db;
  const gate = { preValidation: requireArea('desk') };

  async function show(request: FastifyRequest, reply: FastifyReply, errors: Errors = {}, status = 200, done?: string) {
    const ctx = await viewContext(request, reply);
    const actor = actorOf(request);
    const status_ = await totpStatus(db, actor.id);
    const enrolment = status_.pending ? await pendingEnrolment(db, totpKey(app), actor.id) : null;
    const required = totpRequired(ctx.settings, actor.role);
    return sendPage(
      reply,
      <SecurityPage ctx={ctx} status={status_} enrolment={enrolment} required={required} errors={errors} done={done} />,
      status,
    );
  }

  app.get(ENROLMENT_PATH, { ...gate, schema: { querystring: query({ fait: text }) } }, (request, reply) =>
    show(request, reply, {}, 200, request.query.fait),
  );

  app.post(ENROLMENT_PATH, { ...gate, schema: { body: securityForm } }, async (request, reply) => {
    const actor = actorOf(request);
    const { action, code = '', password = '' } = request.body;
    const key = totpKey(app);

    if (action === 'commencer') {
      await startTotpEnrolment(db, key, actor, request.ip);
      return reply.redirect(ENROLMENT_PATH, 303);
    }

    if (action === 'confirmer') {
      const result = await confirmTotp(db, key, actor, code.slice(0, 100), request.ip);
      if (!result.ok) {
        const message = code.trim() ? CODE_MESSAGES[result.reason] : 'Saisissez le code affiché par votre application.';
        return show(request, reply, { confirmCode: message }, 422);
      }
      request.session.totpEnrolmentRequired = undefined;
      const ctx = await viewContext(request, reply);
      return sendPage(reply, <RecoveryCodesPage ctx={ctx} codes={result.recoveryCodes} />);
    }

    if (action === 'desactiver') {
      const input = { password: password.slice(0, 1024), code: code.slice(0, 100) };
      const result = await turnOffTotp(db, key, actor, input, request.ip);
      if (result.ok) return reply.redirect(`${ENROLMENT_PATH}?fait=desactivee`, 303);
      if (result.field === 'required') return reply.redirect(ENROLMENT_PATH, 303);
      if (result.field === 'throttled') {
        const minutes = Math.ceil(result.waitS / 60);
        const disableCode = `Trop de tentatives. Réessayez dans ${minutes} minute${minutes > 1 ? 's' : ''}.`;
        return show(request, reply, { disableCode }, 429);
      }
      const errors: Errors =
        result.field === 'password'
          ? { password: 'Mot de passe incorrect.' }
          : {
              disableCode: code.trim()
                ? (CODE_MESSAGES[result.reason] ?? CODE_MESSAGES.invalid)
                : 'Saisissez un code de vérification ou un code de secours.',
            };
      return show(request, reply, errors, 422);
    }

    return reply.redirect(ENROLMENT_PATH, 303);
  });
}

function Frame({ ctx, failed, children }: { ctx: ViewContext; failed?: boolean; children: ComponentChildren }) {
  return (
    <Page
      ctx={ctx}
      title={TITLE}
      failed={failed}
      breadcrumb={[{ label: 'Accueil', href: '/' }, { label: 'Mon compte', href: '/mon-compte' }, { label: TITLE }]}
    >
      <div class="fr-grid-row">
        <div class="fr-col-12 fr-col-md-10 fr-col-lg-8">
          {children}
          <p class="fr-mt-4w">
            <a class="fr-link fr-icon-arrow-left-line fr-link--icon-left" href="/mon-compte">
              Retour à « Mon compte »
            </a>
          </p>
        </div>
      </div>
    </Page>
  );
}

function SecurityPage({
  ctx,
  status,
  enrolment,
  required,
  errors,
  done,
}: {
  ctx: ViewContext;
  status: TotpStatus;
  enrolment: Enrolment | null;
  required: boolean;
  errors: Errors;
  done?: string;
}) {
  return (
    <Frame ctx={ctx} failed={Object.keys(errors).length > 0}>
      <h1>{TITLE}</h1>
      <p class="fr-text--lead">
        En plus de votre mot de passe, un code à 6 chiffres affiché par une application d’authentification de votre téléphone
        (FreeOTP, Google Authenticator, Microsoft Authenticator…) vous sera demandé à chaque connexion.
      </p>
      {done === 'desactivee' && <Alert kind="success" title="La double authentification est désactivée." />}
      {status.enabled ? (
        <Enabled ctx={ctx} status={status} required={required} errors={errors} />
      ) : (
        <>
          {required && (
            <Alert kind="warning" title="Activation obligatoire">
              <p>
                La double authentification est obligatoire pour les administrateurs : activez-la pour accéder au reste du portail.
              </p>
            </Alert>
          )}
          {enrolment ? (
            <Enrol ctx={ctx} enrolment={enrolment} error={errors.confirmCode} />
          ) : (
            <form method="post" action={ENROLMENT_PATH} id="totp-start-form">
              <Csrf token={ctx.csrfToken} />
              <input type="hidden" name="action" value="commencer" />
              <p>La double authentification n’est pas activée sur votre compte.</p>
              <button class="fr-btn" type="submit">
                Activer la double authentification
              </button>
            </form>
          )}
        </>
      )}
    </Frame>
  );
}

function Enrol({ ctx, enrolment, error }: { ctx: ViewContext; enrolment: Enrolment; error?: string }) {
  const qr = `data:image/svg+xml;base64,${Buffer.from(enrolment.qrSvg).toString('base64')}`;
  const grouped = enrolment.secret.match(/.{1,4}/g)?.join(' ') ?? enrolment.secret;
  return (
    <>
      <h2>Activer la double authentification</h2>
      <ol>
        <li>
          <p>Ouvrez votre application d’authentification et scannez ce QR code :</p>
          <p>
            <img
              src={qr}
              width={200}
              height={200}
              alt="QR code à scanner avec votre application d’authentification (la clé est aussi donnée en texte ci-dessous)"
            />
          </p>
          <p>
            Si vous ne pouvez pas le scanner, saisissez cette clé dans l’application (type « basé sur le temps ») :{' '}
            <code id="totp-secret" data-secret={enrolment.secret}>
              {grouped}
            </code>
          </p>
        </li>
        <li>
          <p>Saisissez le code affiché par l’application pour confirmer.</p>
        </li>
      </ol>
      <form method="post" action={ENROLMENT_PATH} id="totp-confirm-form">
        <Csrf token={ctx.csrfToken} />
        <input type="hidden" name="action" value="confirmer" />
        <CodeInput name="code" id="confirm-code" label="Code de vérification" hint={CODE_HINT} error={error} />
        <ul class="fr-btns-group fr-btns-group--inline-md fr-mt-3w">
          <li>
            <button class="fr-btn" type="submit">
              Confirmer l’activation
            </button>
          </li>
        </ul>
      </form>
      <form method="post" action={ENROLMENT_PATH} id="totp-restart-form">
        <Csrf token={ctx.csrfToken} />
        <input type="hidden" name="action" value="commencer" />
        <button class="fr-btn fr-btn--tertiary fr-btn--sm" type="submit">
          Recommencer avec une nouvelle clé
        </button>
      </form>
    </>
  );
}

function Enabled({ ctx, status, required, errors }: { ctx: ViewContext; status: TotpStatus; required: boolean; errors: Errors }) {
  return (
    <>
      <Alert kind="info" title="La double authentification est activée.">
        <p>
          {status.enabledAt && `Activée le ${formatDate(status.enabledAt)}. `}
          Codes de secours restants : {status.recoveryCodesLeft} sur {RECOVERY_CODE_COUNT}.
        </p>
      </Alert>
      {required ? (
        <p>La double authentification est obligatoire pour les administrateurs : elle ne peut pas être désactivée.</p>
      ) : (
        <form method="post" action={ENROLMENT_PATH} id="totp-disable-form">
          <Csrf token={ctx.csrfToken} />
          <input type="hidden" name="action" value="desactiver" />
          <fieldset class="fr-fieldset" aria-labelledby="totp-disable-legend">
            <legend class="fr-fieldset__legend" id="totp-disable-legend">
              Désactiver la double authentification
            </legend>
            <div class="fr-fieldset__element">
              <div class={`fr-input-group${errors.password ? ' fr-input-group--error' : ''}`}>
                <label class="fr-label" for="disable-password">
                  Mot de passe *
                </label>
                <input
                  class={`fr-input${errors.password ? ' fr-input--error' : ''}`}
                  type="password"
                  id="disable-password"
                  name="password"
                  autocomplete="current-password"
                  required
                  aria-required="true"
                  maxLength={1024}
                  aria-describedby="disable-password-messages"
                  aria-invalid={errors.password ? 'true' : undefined}
                />
                <div class="fr-messages-group" id="disable-password-messages" aria-live="polite">
                  {errors.password && <p class="fr-message fr-message--error">{errors.password}</p>}
                </div>
              </div>
            </div>
            <div class="fr-fieldset__element">
              <CodeInput
                name="code"
                id="disable-code"
                label="Code de vérification ou code de secours"
                hint="6 chiffres affichés par votre application, ou l’un de vos codes de secours"
                error={errors.disableCode}
                recovery
              />
            </div>
            <div class="fr-fieldset__element">
              <button class="fr-btn fr-btn--secondary" type="submit">
                Désactiver la double authentification
              </button>
            </div>
          </fieldset>
        </form>
      )}
    </>
  );
}

function RecoveryCodesPage({ ctx, codes }: { ctx: ViewContext; codes: string[] }) {
  return (
    <Frame ctx={ctx}>
      <h1>Codes de secours</h1>
      <Alert kind="success" title="La double authentification est activée.">
        <p>
          Notez ou imprimez ces {codes.length} codes maintenant et gardez-les en lieu sûr :{' '}
          <strong>ils ne seront plus affichés</strong>. Si vous n’avez plus accès à votre application, chacun permet une seule
          connexion.
        </p>
      </Alert>
      <ul id="recovery-codes" class="fr-raw-list">
        {codes.map((c) => (
          <li key={c}>
            <code>{c}</code>
          </li>
        ))}
      </ul>
      <p class="fr-mt-3w">
        <a class="fr-btn" href={ENROLMENT_PATH}>
          J’ai noté mes codes
        </a>
      </p>
    </Frame>
  );
}
