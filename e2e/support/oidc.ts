/**
 * A real OpenID Connect provider (oidc-provider) in the test process, on a random localhost port,
 * configured like ProConnect (PKCE required, signed userinfo, the ProConnect claims, logout through
 * the end-session endpoint) and with the library's own login and consent pages (devInteractions):
 * in the browser, a person types a login known to the provider, any password, then consents.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import type { BrowserContext } from 'playwright-core';

/** What ProConnect tells about a person. */
export type ProviderPerson = {
  given_name: string;
  usual_name: string;
  email: string;
  uid?: string;
  siret?: string;
  idp_id?: string;
};

export type TestProvider = {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The portal's settings for this provider. */
  env: Record<string, string>;
  close(): Promise<void>;
};

/**
 * Starts the provider for a portal served at `publicUrl`; `people` are the persons it knows, by the
 * login typed on its login page (which is also their `sub`).
 */
export async function startOidcProvider(publicUrl: string, people: Record<string, ProviderPerson>): Promise<TestProvider> {
  let provider: Provider | undefined;
  const server: Server = createServer((req, res) => {
    if (!provider) return res.writeHead(503).end();
    provider.callback()(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://localhost:${(server.address() as AddressInfo).port}`;
  const clientId = 'guichet-e2e';
  const clientSecret = randomBytes(24).toString('hex');
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'e2e-key', alg: 'RS256', use: 'sig' };

  provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [`${publicUrl}/connexion/proconnect/retour`],
        post_logout_redirect_uris: [`${publicUrl}/connexion`],
        response_types: ['code'],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'client_secret_post',
        id_token_signed_response_alg: 'RS256',
        userinfo_signed_response_alg: 'RS256',
      },
    ],
    jwks: { keys: [jwk as never] },
    cookies: { keys: [randomBytes(16).toString('hex')] },
    claims: {
      openid: ['sub'],
      given_name: ['given_name'],
      usual_name: ['usual_name'],
      email: ['email'],
      uid: ['uid'],
      siret: ['siret'],
      idp_id: ['idp_id'],
    },
    pkce: { required: () => true },
    // Lifetimes given, rather than the library's defaults it warns about (seconds).
    ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600 },
    features: {
      devInteractions: { enabled: true },
      userinfo: { enabled: true },
      jwtUserinfo: { enabled: true },
      rpInitiatedLogout: { enabled: true },
    },
    findAccount: async (_ctx, sub) => {
      const person = people[sub];
      if (!person) return undefined;
      const claims = { uid: '4321', siret: '13002526500013', idp_id: 'fia1v2', ...person, sub };
      return { accountId: sub, claims: async () => claims };
    },
  });

  return {
    issuer,
    clientId,
    clientSecret,
    env: { PROCONNECT_ISSUER: issuer, PROCONNECT_CLIENT_ID: clientId, PROCONNECT_CLIENT_SECRET: clientSecret },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * The provider's pages ask a web font from the Internet: the request is refused at once rather
 * than left to time out without a network.
 */
export async function withoutWebFonts(context: BrowserContext) {
  await context.route(/^https:\/\/fonts\.(googleapis|gstatic)\.com\//, (route) => route.abort());
}
