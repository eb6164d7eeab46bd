import { transaction } from '../../db/client.js';
import { clearSecondFactorFailures, login, recordSecondFactorFailure, secondFactorWait } from '../../domain/accounts/login.js';
import { useRecoveryCode, verifyCode } from '../../domain/accounts/totp.js';
import { purgeStagedOf } from '../../domain/attachments/staging.js';
import { audit } from '../../domain/audit/audit.js';
import { emptyForm } from '../components/form.js';
import { safeNext, viewContext } from '../plugins/actor-gate.js';
import { sendPage } from '../shared/render.js';
import { form, query, raw, text, type ZodApp } from '../shared/schemas.js';
import { LoginPage } from './login-page.js';
import { proconnectLogoutUrl } from './proconnect-routes.js';
import { clearSecondFactor, pendingSecondFactor, totpKey } from './second-factor.js';
import { startSession } from './session.js';
import { completeSignIn } from './sign-in.js';
import { VerificationPage } from './verification-page.js';

// The return address goes as sent to safeNext, which turns anything but one path of the portal into « / ».
const loginQuery = query({ next: raw });
const loginForm = form({ login: text, password: text, remember: text, next: raw });
const verificationForm = form({ code: text, recoveryCode: text });
const throttled = { config: { rateLimit: { max: 30, timeWindow: '1 minute' } } };

const CODE_ERRORS: Record<string, string> = {
  empty: 'Saisissez le code de vérification.',
  invalid: 'Code incorrect : saisissez les 6 chiffres affichés en ce moment par votre application.',
  reused: 'Ce code a déjà été utilisé : attendez le code suivant de votre application.',
  not_enabled: 'Code incorrect : saisissez les 6 chiffres affichés en ce moment par votre application.',
};
const RECOVERY_ERRORS: Record<string, string> = {
  empty: 'Saisissez un code de secours.',
  invalid: 'Code de secours incorrect.',
  used: 'Ce code de secours a déjà été utilisé : chaque code ne sert qu’une fois.',
};

export async function authRoutes(app: ZodApp) {
  app.get('/connexion', { schema: { querystring: loginQuery } }, async (request, reply) => {
    if (request.actor) return reply.redirect(safeNext(request.query.next), 303);
    const ctx = await viewContext(request, reply);
    return sendPage(
      reply,
      <LoginPage
        ctx={ctx}
        form={emptyForm()}
        next={safeNext(request.query.next)}
        proconnect={Boolean(app.deps.config.proconnect)}
      />,
    );
  });

  app.post('/connexion', { ...throttled, schema: { body: loginForm } }, async (request, reply) => {
    const { login: identifier = '', password = '', remember, next } = request.body;
    const result = await login(app.deps.db, identifier.slice(0, 200), password, request.ip);
    if (!result.ok) {
      const ctx = await viewContext(request, reply);
      const error =
        result.reason === 'throttled'
          ? `Trop de tentatives de connexion. Réessayez dans ${formatWait(result.retryAfterS)}.`
          : 'Identifiant ou mot de passe incorrect.';
      const form = emptyForm({ login: identifier, remember: remember ? '1' : '' });
      return sendPage(
        reply,
        <LoginPage ctx={ctx} form={form} next={safeNext(next)} error={error} proconnect={Boolean(app.deps.config.proconnect)} />,
        result.reason === 'throttled' ? 429 : 401,
      );
    }
    // With the second factor on, the password alone opens no session.
    return completeSignIn(request, reply, result.userId, remember === '1', safeNext(next));
  });

  app.get('/connexion/verification', { schema: { querystring: query({ secours: text }) } }, async (request, reply) => {
    if (request.actor) return reply.redirect('/', 303);
    if (!pendingSecondFactor(request)) return reply.redirect('/connexion', 303);
    const ctx = await viewContext(request, reply);
    return sendPage(reply, <VerificationPage ctx={ctx} recovery={request.query.secours === '1'} />);
  });

  app.post('/connexion/verification', { ...throttled, schema: { body: verificationForm } }, async (request, reply) => {
    const pending = pendingSecondFactor(request);
    if (!pending) {
      if (request.session.pendingUserId) clearSecondFactor(request);
      return reply.redirect('/connexion', 303);
    }
    const db = app.deps.db;
    const { userId } = pending;
    const { code, recoveryCode } = request.body;
    const recovery = recoveryCode !== undefined;
    const typed = ((recovery ? recoveryCode : code) ?? '').slice(0, 100);
    const refuse = async (error: string, status: number) => {
      const ctx = await viewContext(request, reply);
      return sendPage(reply, <VerificationPage ctx={ctx} recovery={recovery} error={error} />, status);
    };

    const wait = await secondFactorWait(db, userId, request.ip);
    if (wait > 0) {
      await audit(db, { action: 'login.second_factor.throttled', actorId: userId, ip: request.ip });
      return refuse(`Trop de tentatives. Réessayez dans ${formatWait(wait)}.`, 429);
    }
    const result = !typed.trim()
      ? 'empty'
      : recovery
        ? await useRecoveryCode(db, userId, typed)
        : await verifyCode(db, totpKey(app), userId, typed);
    const method = recovery ? 'recovery_code' : 'totp';
    if (result !== 'ok') {
      await recordSecondFactorFailure(db, userId, request.ip);
      await audit(db, {
        action: 'login.second_factor.failure',
        actorId: userId,
        ip: request.ip,
        details: { method, reason: result },
      });
      return refuse((recovery ? RECOVERY_ERRORS : CODE_ERRORS)[result] ?? 'Code incorrect.', 401);
    }
    await clearSecondFactorFailures(db, userId);
    await audit(db, { action: 'login.second_factor.success', actorId: userId, ip: request.ip, details: { method } });
    if (recovery) await audit(db, { action: 'totp.recovery_code.used', actorId: userId, ip: request.ip });
    await startSession(request, reply, userId, pending.remember);
    return reply.redirect(safeNext(pending.next), 303);
  });

  app.post('/deconnexion', async (request, reply) => {
    const actor = request.actor;
    if (actor) {
      // The forms left unsent are abandoned: their staged files go.
      const keys = await transaction(app.deps.db, async (tx) => {
        await audit(tx, { action: 'logout', actorId: actor.id, ip: request.ip });
        return purgeStagedOf(tx, actor.id);
      });
      await Promise.all(keys.map((key) => app.deps.files.remove(key)));
    }
    const idToken = request.session.proconnectIdToken;
    await request.session.destroy();
    // A session opened through ProConnect also ends at the provider, which sends the person back to /connexion.
    const providerLogout = await proconnectLogoutUrl(request, idToken);
    return reply.redirect(providerLogout ?? '/connexion', 303);
  });
}

function formatWait(seconds: number): string {
  return seconds < 60
    ? `${seconds} seconde${seconds > 1 ? 's' : ''}`
    : `${Math.ceil(seconds / 60)} minute${seconds > 60 ? 's' : ''}`;
}
