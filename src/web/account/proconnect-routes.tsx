import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.js';
import {
  auditProConnectFailure,
  matchProConnectIdentity,
  ProConnect,
  ProConnectError,
  type ProConnectTransaction,
} from '../../domain/accounts/proconnect.js';
import { emptyForm } from '../components/form.js';
import { safeNext, viewContext } from '../plugins/actor-gate.js';
import { sendPage } from '../shared/render.js';
import { form, query, raw, type ZodApp } from '../shared/schemas.js';
import { LoginPage } from './login-page.js';
import { completeSignIn } from './sign-in.js';

export const PROCONNECT_CALLBACK = '/connexion/proconnect/retour';

declare module 'fastify' {
  interface Session {
    /** Between the redirection to ProConnect and the return. */
    proconnect?: ProConnectTransaction;
    /** A session opened through ProConnect: its ID token, for the provider's logout. */
    proconnectIdToken?: string;
  }
}

const clients = new WeakMap<Config, ProConnect>();

/** The ProConnect client of this portal, or null when ProConnect is not configured. */
export function proconnectOf(config: Config): ProConnect | null {
  if (!config.proconnect) return null;
  let client = clients.get(config);
  if (!client) {
    const { issuer, clientId, clientSecret } = config.proconnect;
    client = new ProConnect({
      issuer,
      clientId,
      clientSecret,
      redirectUri: `${config.publicUrl}${PROCONNECT_CALLBACK}`,
      postLogoutRedirectUri: `${config.publicUrl}/connexion`,
      // A provider over plain HTTP (a local test provider) is accepted outside production only.
      allowInsecureRequests: !config.production && new URL(issuer).protocol === 'http:',
    });
    clients.set(config, client);
  }
  return client;
}

/** The end-session address for a session opened through ProConnect, or null (then the portal's own logout is enough). */
export async function proconnectLogoutUrl(request: FastifyRequest, idToken: string | undefined): Promise<string | null> {
  const client = proconnectOf(request.server.deps.config);
  if (!client || !idToken) return null;
  try {
    return await client.logoutUrl(idToken);
  } catch (error) {
    request.log.warn({ err: error }, 'ProConnect logout address unavailable');
    return null;
  }
}

// The return address goes as sent to safeNext, which turns anything but one path of the portal into « / ».
const startForm = form({ next: raw });
/**
 * The provider's answer: only its error and state are read here (the client reads the whole
 * address); kept as sent, so that a repeated one matches no transaction's state.
 */
const callbackQuery = query({ error: raw, state: raw });
const throttled = { config: { rateLimit: { max: 30, timeWindow: '1 minute' } } };

export async function proconnectRoutes(app: ZodApp) {
  const client = proconnectOf(app.deps.config);
  if (!client) return;

  const refuse = async (request: FastifyRequest, reply: FastifyReply, message: string, status: number) => {
    const ctx = await viewContext(request, reply);
    return sendPage(reply, <LoginPage ctx={ctx} form={emptyForm()} next="/" error={message} proconnect />, status);
  };

  app.post('/connexion/proconnect', { ...throttled, schema: { body: startForm } }, async (request, reply) => {
    try {
      const { url, transaction } = await client.start(safeNext(request.body.next));
      request.session.proconnect = transaction;
      return reply.redirect(url, 303);
    } catch (error) {
      if (!(error instanceof ProConnectError)) throw error;
      request.log.warn({ err: error.cause ?? error }, 'ProConnect unavailable');
      return refuse(request, reply, error.message, 503);
    }
  });

  app.get(PROCONNECT_CALLBACK, { ...throttled, schema: { querystring: callbackQuery } }, async (request, reply) => {
    // The transaction is used once, whatever the outcome.
    const transaction = request.session.proconnect;
    if (transaction) request.session.proconnect = undefined;
    const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '';
    const providerError = request.query.error;
    if (providerError && transaction && request.query.state === transaction.state) {
      // The person cancelled, or the provider could not authenticate them.
      await auditProConnectFailure(app.deps.db, new ProConnectError('provider', ''), request.ip);
      return refuse(
        request,
        reply,
        'La connexion avec ProConnect n’a pas abouti. Recommencez ou connectez-vous avec votre mot de passe.',
        401,
      );
    }
    let result: Awaited<ReturnType<ProConnect['finish']>>;
    try {
      result = await client.finish(query, transaction);
    } catch (error) {
      if (!(error instanceof ProConnectError)) throw error;
      await auditProConnectFailure(app.deps.db, error, request.ip);
      request.log.warn({ reason: error.reason, err: error.cause }, 'ProConnect login refused');
      return refuse(request, reply, error.message, error.reason === 'unavailable' ? 503 : 400);
    }
    const outcome = await matchProConnectIdentity(app.deps.db, result.identity, request.ip);
    if (outcome.kind === 'refused') return refuse(request, reply, outcome.message, 403);
    if (outcome.kind === 'account-request') return reply.redirect(outcome.url, 303);
    // ProConnect is a first factor like the password: a second factor, when on, is still asked.
    return completeSignIn(request, reply, outcome.userId, false, safeNext(transaction?.next), (session) => {
      session.proconnectIdToken = result.idToken;
    });
  });
}
