/**
 * ProConnect login against a real OpenID Connect provider (oidc-provider, in this process, on a
 * random localhost port) configured like ProConnect: PKCE required, signed userinfo, the ProConnect
 * claims, logout through the end-session endpoint. The verified e-mail opens the matching active
 * account, never an administrator's; an unknown e-mail leads to the account request, prefilled.
 * Refusals (security regressions): wrong state, wrong nonce, missing or wrong PKCE verifier, a
 * return without a transaction, an administrator's address.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import Provider from 'oidc-provider';
import { ConfigError, loadConfig } from '../src/config.js';
import { actorOf, count, createUser, rows } from './support/factories.js';
import { Visitor } from './support/http.js';
import { createTestPortal, DATABASE_KINDS, type TestPortal } from './support/portal.js';

const PUBLIC_URL = 'http://localhost:3000';
const CALLBACK = `${PUBLIC_URL}/connexion/proconnect/retour`;

const person = (email: string, given_name = 'Sophie', usual_name = 'Lambert'): ProviderIdentity => ({
  sub: `sub-${email.toLowerCase()}`,
  given_name,
  usual_name,
  email,
  uid: '4321',
  siret: '13002526500013',
  idp_id: 'fia1v2',
});

for (const kind of DATABASE_KINDS) {
  describe(`ProConnect login (${kind})`, () => {
    let provider: TestProvider;
    let portal: TestPortal;

    before(async () => {
      provider = await startTestProvider(PUBLIC_URL);
      portal = await createTestPortal(kind, {
        PUBLIC_URL,
        PROCONNECT_ISSUER: provider.issuer,
        PROCONNECT_CLIENT_ID: provider.clientId,
        PROCONNECT_CLIENT_SECRET: provider.clientSecret,
      });
    });
    after(async () => {
      await portal?.close();
      await provider?.close();
    });

    /** Clicks the ProConnect button: the portal's answer (a redirection to the provider). */
    async function clickProConnect(visitor: Visitor, next = '/') {
      const token = await visitor.token('/connexion');
      return visitor.post('/connexion/proconnect', { _csrf: token, next });
    }

    /** Goes through the provider as `identity`; the address the provider sends the browser back to. */
    async function throughProvider(visitor: Visitor, identity: ProviderIdentity, next = '/') {
      const start = await clickProConnect(visitor, next);
      assert.equal(start.statusCode, 303);
      provider.signIn(identity);
      return browseProvider(start.headers.location as string, CALLBACK);
    }

    const back = (visitor: Visitor, url: URL) => visitor.get(`${url.pathname}${url.search}`);

    /** The visitor's session id (the stored session row). */
    const sid = (visitor: Visitor) => decodeURIComponent(visitor.cookie('guichet') ?? '').split('.')[0] ?? '';

    async function sessionUser(visitor: Visitor) {
      const [row] = await rows<{ user_id: number | null }>(
        portal.database.db,
        sql`select user_id from sessions where sid = ${sid(visitor)}`,
      );
      return row?.user_id ?? null;
    }

    async function lastAudit() {
      const [entry] = await rows<{ action: string; actor_id: number | null; target: string | null; details: unknown }>(
        portal.database.db,
        sql`select action, actor_id, target, details from audit_log where action like 'login.proconnect%' order by id desc limit 1`,
      );
      return entry;
    }

    test('the login page offers ProConnect above the password form, and the CSP lets its form go to the provider', async () => {
      const page = await new Visitor(portal.app).get('/connexion');
      assert.equal(page.statusCode, 200);
      const html = page.body;
      assert.match(
        html,
        /<form method="post" action="\/connexion\/proconnect"[^>]*>\s*<input type="hidden" name="_csrf" value="[^"]+"/,
      );
      assert.match(html, /<button class="fr-connect fr-connect--pro" type="submit">/);
      assert.match(html, /<span class="fr-connect__brand">ProConnect<\/span>/);
      assert.match(html, /href="https:\/\/www.proconnect.gouv.fr\/" target="_blank" rel="noopener"/);
      assert.match(html, /<p class="fr-hr-or">ou<\/p>/);
      assert.ok(html.indexOf('fr-connect--pro') < html.indexOf('id="login-form"'), 'above the password form');
      assert.match(String(page.headers['content-security-policy']), new RegExp(`form-action 'self' ${provider.issuer}`));
    });

    test('the button needs the CSRF token', async () => {
      const response = await new Visitor(portal.app).post('/connexion/proconnect', { next: '/' });
      assert.equal(response.statusCode, 403);
    });

    test("the redirection asks ProConnect's scopes with state, nonce and a S256 PKCE challenge", async () => {
      const response = await clickProConnect(new Visitor(portal.app));
      assert.equal(response.statusCode, 303);
      const url = new URL(response.headers.location as string);
      assert.equal(url.origin, provider.issuer);
      assert.equal(url.searchParams.get('scope'), 'openid given_name usual_name email uid siret idp_id');
      assert.equal(url.searchParams.get('client_id'), provider.clientId);
      assert.equal(url.searchParams.get('redirect_uri'), CALLBACK);
      assert.equal(url.searchParams.get('code_challenge_method'), 'S256');
      for (const name of ['state', 'nonce', 'code_challenge']) assert.ok((url.searchParams.get(name) ?? '').length >= 43, name);
    });

    test("an agent's e-mail (any case) opens the agent's account; the home page greets Sophie LAMBERT", async () => {
      const db = portal.database.db;
      const agent = await actorOf(db, 'agent');
      const visitor = new Visitor(portal.app);
      const callback = await throughProvider(visitor, person('Agent@Demo.Assistance.Localhost'));
      const before = visitor.cookie('guichet');
      const done = await back(visitor, callback);
      assert.equal(done.statusCode, 303);
      assert.equal(done.headers.location, '/');
      // A new session id at login (no fixation).
      assert.notEqual(visitor.cookie('guichet')?.split('.')[0], before?.split('.')[0]);
      assert.equal(await sessionUser(visitor), agent.id);
      const home = await visitor.get('/');
      assert.equal(home.statusCode, 200);
      assert.match(home.body, /Sophie LAMBERT/);
      const entry = await lastAudit();
      assert.equal(entry?.action, 'login.proconnect.success');
      assert.equal(Number(entry?.actor_id), agent.id);
      // Neither tokens nor the client secret in the trail.
      const trail = JSON.stringify(await rows(db, sql`select * from audit_log`));
      assert.ok(!trail.includes(provider.clientSecret) && !trail.includes('eyJ'));
    });

    test('the page asked before the login is where the person lands', async () => {
      const visitor = new Visitor(portal.app);
      const callback = await throughProvider(visitor, person('agent@demo.assistance.localhost'), '/guichet');
      const done = await back(visitor, callback);
      assert.equal(done.statusCode, 303);
      assert.equal(done.headers.location, '/guichet');
    });

    test('an e-mail without an account leads to the account request, prefilled, without a session', async () => {
      const visitor = new Visitor(portal.app);
      const callback = await throughProvider(visitor, person('camille.martin@travail.gouv.fr', 'Camille', 'Martin'));
      const done = await back(visitor, callback);
      assert.equal(done.statusCode, 303);
      const location = new URL(done.headers.location as string, PUBLIC_URL);
      assert.equal(location.pathname, '/demande-de-compte');
      assert.equal(location.searchParams.get('prenom'), 'Camille');
      assert.equal(location.searchParams.get('nom'), 'Martin');
      assert.equal(location.searchParams.get('email'), 'camille.martin@travail.gouv.fr');
      assert.equal(await sessionUser(visitor), null);
      assert.equal((await lastAudit())?.action, 'login.proconnect.no_account');
    });

    test('a disabled account is not opened by its e-mail', async () => {
      const db = portal.database.db;
      const user = await createUser(db, 'agent-parti', 'agent', ['CERES']);
      await db.execute(sql`update users set active = false where id = ${user.id}`);
      const visitor = new Visitor(portal.app);
      const done = await back(visitor, await throughProvider(visitor, person('agent-parti@test.localhost')));
      assert.equal(done.statusCode, 303);
      assert.match(done.headers.location as string, /^\/demande-de-compte\?/);
      assert.equal(await sessionUser(visitor), null);
    });

    describe('refusals', () => {
      test("an administrator's e-mail is refused: administrators use their password", async () => {
        const admin = await actorOf(portal.database.db, 'admin');
        const visitor = new Visitor(portal.app);
        const done = await back(visitor, await throughProvider(visitor, person('ADMIN@demo.assistance.localhost')));
        assert.equal(done.statusCode, 403);
        assert.match(done.body, /Les administrateurs ne peuvent pas se connecter avec ProConnect/);
        assert.match(done.body, /fr-alert--error/);
        assert.equal(await sessionUser(visitor), null);
        assert.equal((await visitor.get('/')).statusCode, 303);
        const entry = await lastAudit();
        assert.equal(entry?.action, 'login.proconnect.refused');
        assert.equal(Number(entry?.actor_id), admin.id);
      });

      test('an answer with another state is refused, and the transaction is used up', async () => {
        const visitor = new Visitor(portal.app);
        const callback = await throughProvider(visitor, person('agent@demo.assistance.localhost'));
        const forged = new URL(callback);
        forged.searchParams.set('state', 'etat-falsifie-par-un-attaquant-0000000000000');
        const done = await back(visitor, forged);
        assert.equal(done.statusCode, 400);
        assert.match(done.body, /ne correspond pas à votre demande de connexion/);
        assert.doesNotMatch(done.body, /\n\s+at |Error:/);
        assert.equal(await sessionUser(visitor), null);
        assert.equal((await lastAudit())?.action, 'login.proconnect.failure');
        // The genuine answer, replayed afterwards, finds no transaction.
        const replay = await back(visitor, callback);
        assert.equal(replay.statusCode, 400);
        assert.equal(await sessionUser(visitor), null);
      });

      test('an ID token with another nonce is refused', async () => {
        const visitor = new Visitor(portal.app);
        const callback = await throughProvider(visitor, person('agent@demo.assistance.localhost'));
        await portal.database.db.execute(
          sql`update sessions set data = jsonb_set(data, '{proconnect,nonce}', to_jsonb(${'nonce-attendu-par-une-autre-demande-000000000'}::text)) where sid = ${sid(visitor)}`,
        );
        const done = await back(visitor, callback);
        assert.equal(done.statusCode, 400);
        assert.match(done.body, /ProConnect n’a pas pu confirmer votre identité/);
        assert.equal(await sessionUser(visitor), null);
      });

      test('a return without the PKCE verifier is refused', async () => {
        const visitor = new Visitor(portal.app);
        const callback = await throughProvider(visitor, person('agent@demo.assistance.localhost'));
        await portal.database.db.execute(
          sql`update sessions set data = data #- '{proconnect,codeVerifier}' where sid = ${sid(visitor)}`,
        );
        const done = await back(visitor, callback);
        assert.equal(done.statusCode, 400);
        assert.equal(await sessionUser(visitor), null);
      });

      test('a wrong PKCE verifier is refused by the provider, and so by the portal', async () => {
        const visitor = new Visitor(portal.app);
        const callback = await throughProvider(visitor, person('agent@demo.assistance.localhost'));
        await portal.database.db.execute(
          sql`update sessions set data = jsonb_set(data, '{proconnect,codeVerifier}', to_jsonb(${'v'.repeat(43)}::text)) where sid = ${sid(visitor)}`,
        );
        const done = await back(visitor, callback);
        assert.equal(done.statusCode, 400);
        assert.match(done.body, /ProConnect n’a pas pu confirmer votre identité/);
        assert.equal(await sessionUser(visitor), null);
      });

      test('a cancellation at the provider brings the person back to the login page with a message', async () => {
        const visitor = new Visitor(portal.app);
        const start = await clickProConnect(visitor);
        const state = new URL(start.headers.location as string).searchParams.get('state') ?? '';
        const done = await visitor.get(`/connexion/proconnect/retour?error=access_denied&state=${state}`);
        assert.equal(done.statusCode, 401);
        assert.match(done.body, /La connexion avec ProConnect n’a pas abouti/);
        assert.match(done.body, /id="login-form"/);
        assert.equal(await sessionUser(visitor), null);
      });

      test('a code brought into another browser (login CSRF) is refused', async () => {
        const attacker = new Visitor(portal.app);
        const callback = await throughProvider(attacker, person('agent@demo.assistance.localhost'));
        const victim = new Visitor(portal.app);
        const done = await back(victim, callback);
        assert.equal(done.statusCode, 400);
        assert.match(done.body, /a expiré ou n’a pas été commencée sur ce navigateur/);
        assert.equal(victim.cookie('guichet') ? await sessionUser(victim) : null, null);
      });
    });

    test("logging out of a ProConnect session ends it here, then at the provider's end-session endpoint", async () => {
      const db = portal.database.db;
      const agent = await actorOf(db, 'agent');
      const visitor = new Visitor(portal.app);
      assert.equal(
        (await back(visitor, await throughProvider(visitor, person('agent@demo.assistance.localhost')))).statusCode,
        303,
      );
      const sessionsBefore = await count(db, sql`select count(*) as n from sessions where user_id = ${agent.id}`);
      const token = await visitor.token('/mon-compte');
      const out = await visitor.post('/deconnexion', { _csrf: token });
      assert.equal(out.statusCode, 303);
      const location = new URL(out.headers.location as string);
      assert.equal(`${location.origin}${location.pathname}`, `${provider.issuer}/session/end`);
      assert.ok(location.searchParams.get('id_token_hint')?.startsWith('eyJ'));
      assert.equal(location.searchParams.get('post_logout_redirect_uri'), `${PUBLIC_URL}/connexion`);
      assert.equal(location.searchParams.get('client_id'), provider.clientId);
      assert.equal(await count(db, sql`select count(*) as n from sessions where user_id = ${agent.id}`), sessionsBefore - 1);
      assert.equal((await visitor.get('/')).statusCode, 303);
      // The provider accepts the request (its logout confirmation page).
      const endSession = await fetch(location, { redirect: 'manual' });
      assert.equal(endSession.status, 200);
    });

    test('a password session still logs out to the login page', async () => {
      const visitor = await new Visitor(portal.app).login('agent');
      const out = await visitor.post('/deconnexion', { _csrf: await visitor.token('/mon-compte') });
      assert.equal(out.headers.location, '/connexion');
    });
  });
}

describe('ProConnect configuration', () => {
  const base = { NODE_ENV: 'test', DATA_DIR: '/tmp/guichet-config-test', SESSION_SECRET: 'x'.repeat(32) };

  test('without any PROCONNECT_* value, ProConnect is off', async () => {
    assert.equal(loadConfig(base).proconnect, undefined);
    const portal = await createTestPortal('pglite');
    try {
      const page = await new Visitor(portal.app).get('/connexion');
      assert.doesNotMatch(page.body, /ProConnect|fr-connect|fr-hr-or/);
      const visitor = new Visitor(portal.app);
      const post = await visitor.post('/connexion/proconnect', { _csrf: await visitor.token('/connexion'), next: '/' });
      assert.equal(post.statusCode, 404);
    } finally {
      await portal.close();
    }
  });

  test('a provider out of reach gives a French page, not a stack', async () => {
    const portal = await createTestPortal('pglite', {
      PROCONNECT_ISSUER: 'http://127.0.0.1:9/injoignable',
      PROCONNECT_CLIENT_ID: 'id',
      PROCONNECT_CLIENT_SECRET: 'secret',
    });
    try {
      const visitor = new Visitor(portal.app);
      const response = await visitor.post('/connexion/proconnect', { _csrf: await visitor.token('/connexion'), next: '/' });
      assert.equal(response.statusCode, 503);
      assert.match(response.body, /ProConnect est momentanément indisponible/);
      assert.doesNotMatch(response.body, /ECONNREFUSED|\n\s+at /);
    } finally {
      await portal.close();
    }
  });

  test('all three values enable it', () => {
    const config = loadConfig({
      ...base,
      PROCONNECT_ISSUER: 'https://auth.agentconnect.gouv.fr/api/v2',
      PROCONNECT_CLIENT_ID: 'id',
      PROCONNECT_CLIENT_SECRET: 'secret',
    });
    assert.deepEqual(config.proconnect, {
      issuer: 'https://auth.agentconnect.gouv.fr/api/v2',
      clientId: 'id',
      clientSecret: 'secret',
    });
  });

  test('only some of them is a clear error naming the missing ones', () => {
    assert.throws(
      () => loadConfig({ ...base, PROCONNECT_ISSUER: 'https://auth.agentconnect.gouv.fr/api/v2' }),
      (error: unknown) =>
        error instanceof ConfigError &&
        /PROCONNECT_CLIENT_ID: obligatoire pour la connexion ProConnect/.test(error.message) &&
        /PROCONNECT_CLIENT_SECRET: obligatoire/.test(error.message) &&
        !/PROCONNECT_ISSUER:/.test(error.message),
    );
  });

  test('the issuer must be a URL, and HTTPS in production', () => {
    const values = { PROCONNECT_CLIENT_ID: 'id', PROCONNECT_CLIENT_SECRET: 'secret' };
    assert.throws(
      () => loadConfig({ ...base, ...values, PROCONNECT_ISSUER: 'pas une adresse' }),
      /PROCONNECT_ISSUER: doit être une adresse/,
    );
    assert.throws(
      () =>
        loadConfig({
          ...base,
          ...values,
          NODE_ENV: 'production',
          PUBLIC_URL: 'https://assistance.exemple.gouv.fr',
          PROCONNECT_ISSUER: 'http://auth.exemple.gouv.fr',
        }),
      /PROCONNECT_ISSUER: doit commencer par https:\/\/ en production/,
    );
  });
});

// ——— The test provider ———

type ProviderIdentity = {
  sub: string;
  given_name: string;
  usual_name: string;
  email: string;
  uid?: string;
  siret?: string;
  idp_id?: string;
};

type TestProvider = {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Who the provider authenticates next. */
  signIn(identity: ProviderIdentity): void;
  close(): Promise<void>;
};

/** Cookies of a browser talking to the provider (paths ignored: one provider, one person). */
class Jar {
  private cookies = new Map<string, string>();
  header() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  keep(response: Response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const index = pair.indexOf('=');
      const name = pair.slice(0, index).trim();
      const value = pair.slice(index + 1).trim();
      if (!value || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}

/**
 * Follows the provider's redirections from the authorization address until it sends the browser
 * back to `redirectPrefix` (the portal's callback); returns that address.
 */
async function browseProvider(start: string, redirectPrefix: string, jar = new Jar()): Promise<URL> {
  let url = start;
  for (let i = 0; i < 10; i++) {
    if (url.startsWith(redirectPrefix)) return new URL(url);
    const response = await fetch(url, { redirect: 'manual', headers: { cookie: jar.header() } });
    jar.keep(response);
    const location = response.headers.get('location');
    if (!location) throw new Error(`provider stopped at ${url} (${response.status}): ${(await response.text()).slice(0, 300)}`);
    url = new URL(location, url).href;
  }
  throw new Error('too many redirections at the provider');
}

async function startTestProvider(publicUrl: string): Promise<TestProvider> {
  let provider: Provider | undefined;
  let identity: ProviderIdentity = { sub: 'nobody', given_name: '', usual_name: '', email: '' };

  const server: Server = createServer((req, res) => {
    if (!provider) return res.writeHead(503).end();
    if (req.url?.startsWith('/interaction/')) {
      answerInteraction(provider, req, res, identity.sub).catch((error: unknown) => {
        res.writeHead(500).end(String(error));
      });
      return;
    }
    provider.callback()(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://localhost:${(server.address() as AddressInfo).port}`;
  const clientId = 'guichet-test';
  const clientSecret = randomBytes(24).toString('hex');
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'test-key', alg: 'RS256', use: 'sig' };

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
    features: {
      devInteractions: { enabled: false },
      userinfo: { enabled: true },
      jwtUserinfo: { enabled: true },
      rpInitiatedLogout: { enabled: true },
    },
    findAccount: async (_ctx, sub) =>
      sub === identity.sub ? { accountId: sub, claims: async () => ({ ...identity, sub }) } : undefined,
  });

  return {
    issuer,
    clientId,
    clientSecret,
    signIn(next) {
      identity = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Login and consent answered at once, for the current person, with every requested scope. */
async function answerInteraction(
  provider: Provider,
  req: Parameters<Provider['interactionDetails']>[0],
  res: Parameters<Provider['interactionDetails']>[1],
  accountId: string,
) {
  const details = await provider.interactionDetails(req, res);
  const grant = new provider.Grant({ accountId, clientId: String(details.params.client_id) });
  grant.addOIDCScope(String(details.params.scope));
  const grantId = await grant.save();
  await provider.interactionFinished(
    req,
    res,
    { login: { accountId }, consent: { grantId } },
    { mergeWithLastSubmission: false },
  );
}
