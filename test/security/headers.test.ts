/**
 * Response headers: a strict Content-Security-Policy (no inline scripts), nosniff, no framing,
 * and private pages never cached; in production, cookies are Secure with the __Host- prefix.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fileAs } from '../support/factories.js';
import { Visitor } from '../support/http.js';
import { createTestPortal, DATABASE_KINDS, PASSWORD, type TestPortal } from '../support/portal.js';

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...values]) => [name!, values]),
  );
}

for (const kind of DATABASE_KINDS) {
  describe(`security: headers (${kind})`, () => {
    let portal: TestPortal;
    let number: number;

    before(async () => {
      portal = await createTestPortal(kind);
      number = await fileAs(portal, 'demandeur');
    });
    after(() => portal?.close());

    test('private pages are never cached', async () => {
      const pages: [string, string[]][] = [
        ['demandeur', ['/', '/demandes', '/demandes/nouvelle', `/demandes/${number}`, '/mon-compte', '/demandes/99999999']],
        ['agent', ['/guichet', `/demandes/${number}`]],
        ['admin', ['/admin', '/admin/parametres', '/admin/courriels', '/admin/journal']],
      ];
      for (const [login, urls] of pages) {
        const visitor = await new Visitor(portal.app).login(login);
        for (const url of urls) {
          const response = await visitor.get(url);
          assert.ok([200, 404].includes(response.statusCode), `${url}: ${response.statusCode}`);
          assert.match(String(response.headers['cache-control']), /no-store/, `${login} ${url}`);
        }
      }
      // The login page carries a form token: not cached either.
      assert.match(String((await new Visitor(portal.app).get('/connexion')).headers['cache-control']), /no-store/);
    });

    test('a strict Content-Security-Policy: scripts from the portal only, no inline script, no framing', async () => {
      const visitor = await new Visitor(portal.app).login('demandeur');
      for (const url of ['/', `/demandes/${number}`, '/connexion', '/page-inexistante']) {
        const response = await visitor.get(url);
        const csp = directives(String(response.headers['content-security-policy']));
        const scripts = csp.get('script-src') ?? csp.get('default-src') ?? [];
        assert.deepEqual(scripts, ["'self'"], url);
        assert.deepEqual(csp.get('script-src-attr'), ["'none'"], url);
        assert.deepEqual(csp.get('object-src'), ["'none'"], url);
        assert.deepEqual(csp.get('frame-ancestors'), ["'none'"], url);
        assert.deepEqual(csp.get('base-uri'), ["'self'"], url);
        assert.deepEqual(csp.get('form-action'), ["'self'"], url);
        assert.deepEqual(csp.get('default-src'), ["'self'"], url);
        for (const values of csp.values()) {
          if (values.includes("'unsafe-eval'")) assert.fail(`unsafe-eval on ${url}`);
        }
        assert.equal(response.headers['x-content-type-options'], 'nosniff', url);
        assert.ok(['DENY', 'SAMEORIGIN'].includes(String(response.headers['x-frame-options'])), url);
        assert.equal(response.headers['referrer-policy'], 'no-referrer', url);
        // The pages themselves hold no inline script or event handler (the policy would block them).
        for (const tag of response.body.match(/<script\b[^>]*>/g) ?? []) assert.match(tag, /\bsrc="\//, `${url}: ${tag}`);
        assert.doesNotMatch(response.body, /\son[a-z]+="/, url);
      }
    });

    test('operations endpoints carry the same protections', async () => {
      const response = await portal.app.inject({ method: 'GET', url: '/healthz' });
      assert.equal(response.headers['x-content-type-options'], 'nosniff');
      assert.ok(response.headers['content-security-policy']);
    });
  });

  describe(`security: production cookies and HSTS (${kind})`, () => {
    let portal: TestPortal;
    before(async () => {
      portal = await createTestPortal(kind, {
        NODE_ENV: 'production',
        PUBLIC_URL: 'https://assistance.example.gouv.fr',
        TRUSTED_PROXIES: '127.0.0.1',
      });
    });
    after(() => portal?.close());

    test('cookies are Secure, HttpOnly, SameSite=Lax and __Host- prefixed; HSTS is sent', async () => {
      const https = { 'x-forwarded-proto': 'https' };
      const page = await portal.app.inject({ method: 'GET', url: '/connexion', headers: https });
      assert.match(String(page.headers['strict-transport-security']), /max-age=\d+/);
      const csrfCookie = page.cookies.find((c) => c.name === '__Host-csrf');
      assert.ok(csrfCookie, 'CSRF cookie');
      assert.equal(csrfCookie.secure, true);
      assert.equal(csrfCookie.httpOnly, true);
      assert.equal(csrfCookie.path, '/');
      const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
      const login = await portal.app.inject({
        method: 'POST',
        url: '/connexion',
        headers: { ...https, cookie: `__Host-csrf=${csrfCookie.value}`, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: token, login: 'demandeur', password: PASSWORD }).toString(),
      });
      assert.equal(login.statusCode, 303, login.body.slice(0, 300));
      const session = login.cookies.find((c) => c.name === '__Host-guichet');
      assert.ok(session, 'session cookie');
      assert.equal(session.secure, true);
      assert.equal(session.httpOnly, true);
      assert.equal(session.sameSite, 'Lax');
      assert.equal(session.path, '/');
      assert.equal(session.domain, undefined);
    });
  });
}
