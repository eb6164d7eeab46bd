/**
 * `X-Forwarded-For` is believed only from the configured balancers (TRUSTED_PROXIES). Trusted from
 * anyone, a rotating header escaped the per-address login throttling, and failures could be charged
 * to someone else's address, refusing their correct login.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../src/config.js';
import { createTestPortal, DATABASE_KINDS, PASSWORD, type TestPortal } from '../support/portal.js';

/** A login attempt from `remoteAddress`, saying it forwards for `forwardedFor`. */
async function attempt(app: FastifyInstance, remoteAddress: string, login: string, password: string, forwardedFor?: string) {
  const headers = forwardedFor ? { 'x-forwarded-for': forwardedFor } : undefined;
  const page = await app.inject({ method: 'GET', url: '/connexion', remoteAddress, headers });
  const csrf = page.cookies.find((c) => c.name.endsWith('csrf'));
  const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
  return app.inject({
    method: 'POST',
    url: '/connexion',
    remoteAddress,
    headers: { ...headers, cookie: `${csrf?.name}=${csrf?.value}`, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: token, login, password, next: '/' }).toString(),
  });
}

for (const kind of DATABASE_KINDS) {
  describe(`security: forwarded addresses (${kind})`, () => {
    let portal: TestPortal;
    before(async () => {
      portal = await createTestPortal(kind, { NODE_ENV: 'production', PUBLIC_URL: 'http://localhost:3000' });
    });
    after(() => portal?.close());

    test('with no trusted proxy, rotating X-Forwarded-For does not escape the per-address throttling', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 40; i++) {
        const response = await attempt(portal.app, '198.51.100.20', `inconnu${i}`, 'mauvais-mot-de-passe', `192.0.2.${i}`);
        statuses.push(response.statusCode);
      }
      assert.ok(statuses.slice(0, 30).every((s) => s === 401));
      assert.ok(
        statuses.slice(31).every((s) => s === 429),
        `throttled past 30 failures: ${statuses.join(' ')}`,
      );
      const right = await attempt(portal.app, '198.51.100.20', 'demandeur', PASSWORD, '192.0.2.250');
      assert.equal(right.statusCode, 429, 'the real address is throttled, whatever the header says');
    });

    test('failures sent under someone else’s address in the header are counted against the sender', async () => {
      for (let i = 0; i < 32; i++) await attempt(portal.app, '198.51.100.30', `autre${i}`, 'mauvais-mot-de-passe', '203.0.113.7');
      const victim = await attempt(portal.app, '203.0.113.7', 'demandeur', PASSWORD);
      assert.equal(victim.statusCode, 303, 'the owner of 203.0.113.7 logs in');
    });
  });

  describe(`security: forwarded addresses behind a trusted balancer (${kind})`, () => {
    let portal: TestPortal;
    before(async () => {
      portal = await createTestPortal(kind, { TRUSTED_PROXIES: '10.0.0.1, 10.8.0.0/16' });
    });
    after(() => portal?.close());

    test('the balancer’s header names the person; another peer’s header is ignored', async () => {
      for (let i = 0; i < 32; i++) await attempt(portal.app, '10.8.3.4', `autre${i}`, 'mauvais-mot-de-passe', '203.0.113.9');
      assert.equal((await attempt(portal.app, '10.0.0.1', 'demandeur', PASSWORD, '203.0.113.9')).statusCode, 429);
      assert.equal((await attempt(portal.app, '10.0.0.1', 'demandeur', PASSWORD, '203.0.113.10')).statusCode, 303);
      for (let i = 0; i < 32; i++) await attempt(portal.app, '10.9.0.1', `tiers${i}`, 'mauvais-mot-de-passe', '203.0.113.11');
      assert.equal((await attempt(portal.app, '10.0.0.1', 'demandeur', PASSWORD, '203.0.113.11')).statusCode, 303);
      assert.equal((await attempt(portal.app, '10.9.0.1', 'demandeur', PASSWORD)).statusCode, 429);
    });
  });
}

describe('configuration: TRUSTED_PROXIES', () => {
  test('addresses, ranges and loopback are accepted; anything else is refused with a French message', () => {
    assert.deepEqual(loadConfig({ TRUSTED_PROXIES: '10.0.0.1, 10.8.0.0/16,::1,fd00::/8,loopback' }).trustedProxies, [
      '10.0.0.1',
      '10.8.0.0/16',
      '::1',
      'fd00::/8',
      'loopback',
    ]);
    assert.deepEqual(loadConfig({}).trustedProxies, []);
    for (const wrong of ['*', 'true', '10.0.0.0/33', 'balancer.internal', '10.0.0.1/8/1']) {
      assert.throws(() => loadConfig({ TRUSTED_PROXIES: wrong }), /TRUSTED_PROXIES: doit être une liste d’adresses IP/, wrong);
    }
  });
});
