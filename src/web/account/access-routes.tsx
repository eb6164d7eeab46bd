import { transaction } from '../../db/client.js';
import { parseAccountRequest, submitAccountRequest } from '../../domain/accounts/account-requests.js';
import { activateAccount } from '../../domain/accounts/activation.js';
import { requestPasswordReset, resetPassword } from '../../domain/accounts/password-reset.js';
import { hashPassword } from '../../domain/accounts/passwords.js';
import { acceptInvitation } from '../../domain/accounts/staff-accounts.js';
import { inspectToken, type TokenState } from '../../domain/accounts/tokens.js';
import { ValidationError } from '../../domain/errors.js';
import { getReferentials } from '../../domain/referentials/referentials.js';
import { emptyForm } from '../components/form.js';
import { viewContext } from '../plugins/actor-gate.js';
import { sendPage } from '../shared/render.js';
import { form, list, query, text, tokenParams, type ZodApp } from '../shared/schemas.js';
import { AccountRequestPage, ConfirmPage, ForgotPasswordPage, MessagePage, NewPasswordPage } from './access-pages.js';

/** Form values as the page shows them again (passwords never). */
function keptValues(body: Record<string, unknown>): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(body)) {
    if (key === '_csrf' || key.startsWith('password')) continue;
    values[key] = Array.isArray(value) ? value.join(',') : typeof value === 'string' ? value : '';
  }
  return values;
}

const LINK_PROBLEMS: Record<Exclude<TokenState, 'valid'>, string> = {
  used: 'Ce lien a déjà été utilisé.',
  expired: 'Ce lien a expiré.',
  unknown: 'Ce lien n’est pas valide : vérifiez qu’il a été copié en entier.',
};

const limited = { config: { rateLimit: { max: 20, timeWindow: '1 minute' } } };

/** The fields of « Demande de compte », checked together by parseAccountRequest. */
const accountRequestForm = form({
  login: text,
  civility: text,
  lastName: text,
  firstName: text,
  email: text,
  phone: text,
  applicationIds: list,
  regionId: text,
  structureName: text,
  natureId: text,
  typeId: text,
  password: text,
  passwordCheck: text,
});

/** The public ways in: account request, activation, invitation, forgotten password. */
export async function accessRoutes(app: ZodApp) {
  const { db, config } = app.deps;

  // A ProConnect identity without an account arrives with its name and address already filled in.
  const prefilled = { schema: { querystring: query({ prenom: text, nom: text, email: text }) } };
  app.get('/demande-de-compte', prefilled, async (request, reply) => {
    const ctx = await viewContext(request, reply);
    const refs = await getReferentials(db);
    const { prenom = '', nom = '', email = '' } = request.query;
    const form = emptyForm({
      firstName: prenom.slice(0, 80),
      lastName: nom.slice(0, 80),
      email: email.slice(0, 254),
    });
    return sendPage(reply, <AccountRequestPage ctx={ctx} refs={refs} form={form} />);
  });

  app.post('/demande-de-compte', { ...limited, schema: { body: accountRequestForm } }, async (request, reply) => {
    const body = request.body;
    const refs = await getReferentials(db);
    try {
      const input = await parseAccountRequest(db, body, refs);
      const passwordHash = await hashPassword(input.password);
      await transaction(db, (tx) => submitAccountRequest(tx, input, passwordHash, config.publicUrl));
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const ctx = await viewContext(request, reply);
      return sendPage(
        reply,
        <AccountRequestPage ctx={ctx} refs={refs} form={{ values: keptValues(body), errors: error.fields }} />,
        422,
      );
    }
    return reply.redirect('/demande-de-compte/envoyee', 303);
  });

  app.get('/demande-de-compte/envoyee', async (request, reply) => {
    const ctx = await viewContext(request, reply);
    return sendPage(
      reply,
      <MessagePage
        ctx={ctx}
        title="Demande de compte envoyée"
        kind="success"
        message="Votre demande de compte va être examinée par l’assistance. Vous recevrez un courriel d’activation dès qu’elle sera validée."
      />,
    );
  });

  const byToken = { schema: { params: tokenParams } };
  app.get('/activation/:token', byToken, async (request, reply) => {
    const ctx = await viewContext(request, reply);
    const { state } = await inspectToken(db, request.params.token, 'activation');
    if (state !== 'valid') return sendPage(reply, <ActivationProblem ctx={ctx} state={state} />, 410);
    return sendPage(
      reply,
      <ConfirmPage
        ctx={ctx}
        title="Activer mon compte"
        text="Votre demande de compte a été validée. Confirmez l’activation pour pouvoir vous connecter."
        action={`/activation/${encodeURIComponent(request.params.token)}`}
        button="Activer mon compte"
      />,
    );
  });

  app.post('/activation/:token', { ...limited, ...byToken }, async (request, reply) => {
    const state = await transaction(db, (tx) => activateAccount(tx, request.params.token, request.ip));
    const ctx = await viewContext(request, reply);
    if (state !== 'valid') return sendPage(reply, <ActivationProblem ctx={ctx} state={state} />, 410);
    return sendPage(
      reply,
      <MessagePage
        ctx={ctx}
        title="Compte activé"
        kind="success"
        message="Votre compte est activé : vous pouvez vous connecter."
      />,
    );
  });

  invitationRoutes(app);

  app.get('/mot-de-passe-oublie', async (request, reply) => {
    const ctx = await viewContext(request, reply);
    return sendPage(reply, <ForgotPasswordPage ctx={ctx} form={emptyForm()} />);
  });

  const forgotForm = { schema: { body: form({ identifier: text }) } };
  app.post('/mot-de-passe-oublie', { ...limited, ...forgotForm }, async (request, reply) => {
    const identifier = (request.body.identifier ?? '').trim();
    const ctx = await viewContext(request, reply);
    if (!identifier) {
      const form = { values: {}, errors: { identifier: 'Indiquez votre adresse électronique ou votre identifiant.' } };
      return sendPage(reply, <ForgotPasswordPage ctx={ctx} form={form} />, 422);
    }
    await transaction(db, (tx) => requestPasswordReset(tx, identifier, request.ip));
    return sendPage(reply, <ForgotPasswordPage ctx={ctx} form={emptyForm()} sent />);
  });

  app.get('/mot-de-passe/:token', byToken, async (request, reply) => {
    const ctx = await viewContext(request, reply);
    const { state } = await inspectToken(db, request.params.token, 'password_reset');
    if (state !== 'valid') return sendPage(reply, <ResetProblem ctx={ctx} state={state} />, 410);
    return sendPage(reply, <NewPasswordPage ctx={ctx} form={emptyForm()} token={encodeURIComponent(request.params.token)} />);
  });

  const resetForm = { schema: { params: tokenParams, body: form({ password: text, passwordCheck: text }) } };
  app.post('/mot-de-passe/:token', { ...limited, ...resetForm }, async (request, reply) => {
    const { password = '', passwordCheck = '' } = request.body;
    const ctx = await viewContext(request, reply);
    try {
      const state = await resetPassword(db, request.params.token, password, passwordCheck, request.ip, config.publicUrl);
      if (state !== 'valid') return sendPage(reply, <ResetProblem ctx={ctx} state={state} />, 410);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const form = { values: {}, errors: error.fields };
      return sendPage(reply, <NewPasswordPage ctx={ctx} form={form} token={encodeURIComponent(request.params.token)} />, 422);
    }
    return sendPage(
      reply,
      <MessagePage
        ctx={ctx}
        title="Mot de passe changé"
        kind="success"
        message="Votre mot de passe a été changé et vos autres sessions fermées : connectez-vous."
      />,
    );
  });
}

/** The invitation link of an account an administrator created: its holder chooses the first password. */
function invitationRoutes(app: ZodApp) {
  const { db } = app.deps;
  const byToken = { schema: { params: tokenParams } };
  // Opening the link uses nothing (mail scanners open links): only the form's POST does.
  app.get('/invitation/:token', byToken, async (request, reply) => {
    const ctx = await viewContext(request, reply);
    const { state } = await inspectToken(db, request.params.token, 'invitation');
    if (state !== 'valid') return sendPage(reply, <InvitationProblem ctx={ctx} state={state} />, 410);
    const token = encodeURIComponent(request.params.token);
    return sendPage(reply, <NewPasswordPage ctx={ctx} form={emptyForm()} token={token} invitation />);
  });

  const invitationForm = { schema: { params: tokenParams, body: form({ password: text, passwordCheck: text }) } };
  app.post('/invitation/:token', { ...limited, ...invitationForm }, async (request, reply) => {
    const { password = '', passwordCheck = '' } = request.body;
    const ctx = await viewContext(request, reply);
    try {
      const state = await acceptInvitation(db, request.params.token, password, passwordCheck, request.ip);
      if (state !== 'valid') return sendPage(reply, <InvitationProblem ctx={ctx} state={state} />, 410);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const token = encodeURIComponent(request.params.token);
      return sendPage(
        reply,
        <NewPasswordPage ctx={ctx} form={{ values: {}, errors: error.fields }} token={token} invitation />,
        422,
      );
    }
    return sendPage(
      reply,
      <MessagePage
        ctx={ctx}
        title="Mot de passe enregistré"
        kind="success"
        message="Votre mot de passe est enregistré et votre compte activé : vous pouvez vous connecter."
      />,
    );
  });
}

function InvitationProblem({
  ctx,
  state,
}: {
  ctx: Parameters<typeof MessagePage>[0]['ctx'];
  state: Exclude<TokenState, 'valid'>;
}) {
  const next =
    state === 'used'
      ? 'Votre mot de passe est sans doute déjà choisi : essayez de vous connecter.'
      : 'Demandez à un administrateur du portail de vous renvoyer l’invitation.';
  return <MessagePage ctx={ctx} title="Invitation non valide" kind="error" message={`${LINK_PROBLEMS[state]} ${next}`} />;
}

function ActivationProblem({
  ctx,
  state,
}: {
  ctx: Parameters<typeof MessagePage>[0]['ctx'];
  state: Exclude<TokenState, 'valid'>;
}) {
  const next =
    state === 'used'
      ? 'Votre compte est sans doute déjà activé : essayez de vous connecter.'
      : `Contactez l’assistance au ${ctx.settings.supportPhone} (${ctx.settings.supportHours}) pour recevoir un nouveau lien.`;
  return <MessagePage ctx={ctx} title="Activation impossible" kind="error" message={`${LINK_PROBLEMS[state]} ${next}`} />;
}

function ResetProblem({ ctx, state }: { ctx: Parameters<typeof MessagePage>[0]['ctx']; state: Exclude<TokenState, 'valid'> }) {
  return (
    <MessagePage
      ctx={ctx}
      title="Lien non valide"
      kind="error"
      message={`${LINK_PROBLEMS[state]} Demandez un nouveau lien pour choisir votre mot de passe.`}
      links={[{ href: '/mot-de-passe-oublie', label: 'Demander un nouveau lien' }]}
    />
  );
}
