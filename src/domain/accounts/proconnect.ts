/**
 * ProConnect, the State's OpenID Connect single sign-on for public agents: authorization code
 * flow with PKCE (S256), state and nonce; the ID token and the userinfo (a signed JWT) are both
 * checked against the provider's published keys. The verified e-mail opens the existing active
 * account with that address, never an administrator's (administrators use their password).
 */
import { sql } from 'drizzle-orm';
import * as oidc from 'openid-client';
import type { Db } from '../../db/client.js';
import { users } from '../../db/schema.js';
import { audit } from '../audit/audit.js';

export const PROCONNECT_SCOPES = 'openid given_name usual_name email uid siret idp_id';
/** ProConnect signs the userinfo; `application/jwt` is required and its signature verified. */
const USERINFO_ALG = 'RS256';

export type ProConnectSettings = {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The portal's callback, e.g. https://assistance.exemple.gouv.fr/connexion/proconnect/retour */
  redirectUri: string;
  /** Where the provider sends the person back after logout (the login page). */
  postLogoutRedirectUri: string;
  /** Plain-HTTP provider (a local test provider): never in production, see `proconnectSettings`. */
  allowInsecureRequests?: boolean;
};

/** What the portal keeps in the session between the redirection and the return. */
export type ProConnectTransaction = {
  state: string;
  nonce: string;
  codeVerifier: string;
  next: string;
};

export type ProConnectIdentity = {
  sub: string;
  email: string;
  givenName: string;
  usualName: string;
  uid?: string;
  siret?: string;
  idpId?: string;
};

/** A failure of the exchange with the provider, with the French message shown to the person. */
export class ProConnectError extends Error {
  constructor(
    readonly reason: 'state' | 'transaction' | 'provider' | 'unavailable' | 'claims',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const MESSAGES = {
  transaction:
    'La connexion avec ProConnect a expiré ou n’a pas été commencée sur ce navigateur. Cliquez de nouveau sur « S’identifier avec ProConnect ».',
  state: 'La réponse de ProConnect ne correspond pas à votre demande de connexion. Recommencez la connexion.',
  provider: 'ProConnect n’a pas pu confirmer votre identité. Recommencez la connexion.',
  unavailable:
    'ProConnect est momentanément indisponible. Réessayez dans quelques instants ou connectez-vous avec votre mot de passe.',
  claims: 'ProConnect n’a pas transmis votre adresse électronique : la connexion est impossible.',
};

export class ProConnect {
  private configuration: Promise<oidc.Configuration> | null = null;

  constructor(private readonly settings: ProConnectSettings) {}

  /** The provider's metadata, discovered once (a failed discovery is retried at the next use). */
  private config(): Promise<oidc.Configuration> {
    if (!this.configuration) {
      const { issuer, clientId, clientSecret, allowInsecureRequests } = this.settings;
      this.configuration = oidc
        .discovery(
          new URL(issuer),
          clientId,
          { client_secret: clientSecret, userinfo_signed_response_alg: USERINFO_ALG },
          oidc.ClientSecretPost(clientSecret),
          {
            timeout: 10,
            execute: [
              ...(allowInsecureRequests ? [oidc.allowInsecureRequests] : []),
              // Signatures of the ID token and of the userinfo JWT are verified with the provider's keys.
              oidc.enableNonRepudiationChecks,
            ],
          },
        )
        .catch((error: unknown) => {
          this.configuration = null;
          throw new ProConnectError('unavailable', MESSAGES.unavailable, { cause: error });
        });
    }
    return this.configuration;
  }

  /** The provider's authorization address, and what to keep until the person comes back. */
  async start(next: string): Promise<{ url: string; transaction: ProConnectTransaction }> {
    const config = await this.config();
    const transaction = {
      state: oidc.randomState(),
      nonce: oidc.randomNonce(),
      codeVerifier: oidc.randomPKCECodeVerifier(),
      next,
    };
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: this.settings.redirectUri,
      scope: PROCONNECT_SCOPES,
      response_type: 'code',
      state: transaction.state,
      nonce: transaction.nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(transaction.codeVerifier),
      code_challenge_method: 'S256',
    });
    return { url: url.href, transaction };
  }

  /**
   * The return from the provider (`query` is the callback's query string): checks state, nonce
   * and PKCE, exchanges the code, verifies the ID token and the signed userinfo.
   */
  async finish(
    query: string,
    transaction: Partial<ProConnectTransaction> | undefined,
  ): Promise<{ identity: ProConnectIdentity; idToken: string }> {
    const { state, nonce, codeVerifier } = transaction ?? {};
    if (!state || !nonce || !codeVerifier) throw new ProConnectError('transaction', MESSAGES.transaction);
    const params = new URLSearchParams(query);
    if (params.get('state') !== state) throw new ProConnectError('state', MESSAGES.state);
    const config = await this.config();
    const currentUrl = new URL(this.settings.redirectUri);
    currentUrl.search = params.toString();
    let idToken: string;
    let userinfo: oidc.UserInfoResponse;
    try {
      const tokens = await oidc.authorizationCodeGrant(config, currentUrl, {
        expectedState: state,
        expectedNonce: nonce,
        pkceCodeVerifier: codeVerifier,
        idTokenExpected: true,
      });
      const claims = tokens.claims();
      if (!claims || !tokens.id_token) throw new Error('no ID token');
      idToken = tokens.id_token;
      userinfo = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
    } catch (error) {
      if (error instanceof ProConnectError) throw error;
      const network = error instanceof TypeError || (error as { code?: string }).code === 'OAUTH_TIMEOUT';
      throw new ProConnectError(network ? 'unavailable' : 'provider', network ? MESSAGES.unavailable : MESSAGES.provider, {
        cause: error,
      });
    }
    const text = (name: string) => {
      const value = userinfo[name];
      return typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : undefined;
    };
    const email = text('email');
    if (!email || /[\s\p{Cc}]/u.test(email) || !email.includes('@')) throw new ProConnectError('claims', MESSAGES.claims);
    return {
      identity: {
        sub: userinfo.sub,
        email,
        givenName: text('given_name') ?? '',
        usualName: text('usual_name') ?? '',
        uid: text('uid'),
        siret: text('siret'),
        idpId: text('idp_id'),
      },
      idToken,
    };
  }

  /** The provider's end-session address for a ProConnect session (the person comes back to the login page). */
  async logoutUrl(idToken: string): Promise<string> {
    const config = await this.config();
    return oidc.buildEndSessionUrl(config, {
      id_token_hint: idToken,
      post_logout_redirect_uri: this.settings.postLogoutRedirectUri,
      state: oidc.randomState(),
    }).href;
  }
}

export type ProConnectOutcome =
  | { kind: 'login'; userId: number }
  | { kind: 'refused'; message: string }
  | { kind: 'account-request'; url: string };

export const ADMIN_REFUSED =
  'Les administrateurs ne peuvent pas se connecter avec ProConnect : connectez-vous avec votre identifiant et votre mot de passe.';
export const AMBIGUOUS_REFUSED =
  'Plusieurs comptes utilisent votre adresse électronique : connectez-vous avec votre identifiant et votre mot de passe, ou contactez l’assistance.';

/**
 * Which account a verified ProConnect identity opens: the one active account with the same
 * e-mail (case-insensitive), never an administrator's; none gives the account request, prefilled.
 * Every outcome is audited.
 */
export async function matchProConnectIdentity(db: Db, identity: ProConnectIdentity, ip: string): Promise<ProConnectOutcome> {
  const email = identity.email.toLowerCase();
  const accounts = await db
    .select({ id: users.id, role: users.role })
    .from(users)
    .where(sql`lower(${users.email}) = ${email} and ${users.active}`);
  const details = { sub: identity.sub, idp_id: identity.idpId ?? null, siret: identity.siret ?? null };
  const target = email.slice(0, 200);
  if (accounts.some((a) => a.role === 'admin')) {
    const admin = accounts.find((a) => a.role === 'admin');
    await audit(db, {
      action: 'login.proconnect.refused',
      actorId: admin?.id,
      target,
      ip,
      details: { ...details, reason: 'admin' },
    });
    return { kind: 'refused', message: ADMIN_REFUSED };
  }
  if (accounts.length > 1) {
    await audit(db, { action: 'login.proconnect.refused', target, ip, details: { ...details, reason: 'ambiguous' } });
    return { kind: 'refused', message: AMBIGUOUS_REFUSED };
  }
  const [account] = accounts;
  if (!account) {
    await audit(db, { action: 'login.proconnect.no_account', target, ip, details });
    const query = new URLSearchParams({ prenom: identity.givenName, nom: identity.usualName, email: identity.email });
    return { kind: 'account-request', url: `/demande-de-compte?${query}` };
  }
  await db.update(users).set({ lastLoginAt: new Date() }).where(sql`${users.id} = ${account.id}`);
  await audit(db, { action: 'login.proconnect.success', actorId: account.id, ip, details });
  return { kind: 'login', userId: account.id };
}

/** Audits a callback that did not get as far as an identity (wrong state, nonce, PKCE, provider error). */
export async function auditProConnectFailure(db: Db, error: ProConnectError, ip: string) {
  await audit(db, { action: 'login.proconnect.failure', ip, details: { reason: error.reason } });
}
