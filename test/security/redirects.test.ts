/**
 * Open redirects: `?next=` after login only ever leads to a page of the portal, whatever
 * spelling a browser would read as another site.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Visitor } from '../support/http.js';
import { createTestPortal, DATABASE_KINDS, PASSWORD, type TestPortal } from '../support/portal.js';

const ORIGIN = 'https://assistance.example.gouv.fr';

/** Values a browser would follow to another site. */
const EVIL = [
  '//evil.example',
  '///evil.example',
  'https://evil.example',
  'http:evil.example',
  'javascript:alert(1)',
  '/\\evil.example',
  '\\\\evil.example',
  '/\t/evil.example',
  '/\n/evil.example',
  '/\r\n/evil.example',
  ' //evil.example',
  '//evil.example/demandes',
  '/%2F/evil.example',
];

/** Where a browser on the portal goes with this Location header. */
function lands(location: string): string {
  return new URL(location, `${ORIGIN}/connexion`).origin;
}

for (const kind of DATABASE_KINDS) {
  describe(`security: redirects stay inside the portal (${kind})`, () => {
    let portal: TestPortal;

    before(async () => {
      portal = await createTestPortal(kind);
    });
    after(() => portal?.close());

    test('after login, next= leads to a page of the portal or to the home page', async () => {
      for (const next of EVIL) {
        const visitor = new Visitor(portal.app);
        const token = await visitor.token(`/connexion?next=${encodeURIComponent(next)}`);
        const response = await visitor.post('/connexion', { _csrf: token, login: 'demandeur', password: PASSWORD, next });
        assert.equal(response.statusCode, 303, JSON.stringify(next));
        const location = String(response.headers.location);
        assert.equal(lands(location), ORIGIN, `${JSON.stringify(next)} → ${JSON.stringify(location)}`);
        assert.match(location, /^\/[^/\\]?/, JSON.stringify(location));
      }
    });

    test('the login page does not carry a foreign next= into its form', async () => {
      for (const next of EVIL) {
        const page = await new Visitor(portal.app).get(`/connexion?next=${encodeURIComponent(next)}`);
        const value = /name="next" value="([^"]*)"/.exec(page.body)?.[1] ?? '';
        assert.equal(lands(value.replace(/&amp;/g, '&')), ORIGIN, `${JSON.stringify(next)} → ${value}`);
      }
    });

    test('a logged-in visitor sent to the login page with next= stays on the portal', async () => {
      const visitor = await new Visitor(portal.app).login('agent');
      for (const next of EVIL) {
        const response = await visitor.get(`/connexion?next=${encodeURIComponent(next)}`);
        assert.equal(response.statusCode, 303);
        assert.equal(lands(String(response.headers.location)), ORIGIN, JSON.stringify(next));
      }
    });

    test('a path of the portal is kept, with its query string', async () => {
      const visitor = new Visitor(portal.app);
      const token = await visitor.token('/connexion');
      const next = '/guichet?statut=new&niveau=2';
      const response = await visitor.post('/connexion', { _csrf: token, login: 'agent', password: PASSWORD, next });
      assert.equal(response.headers.location, next);
    });

    test('a protected page sends an anonymous visitor to the login with a local next=', async () => {
      const response = await new Visitor(portal.app).get('/guichet?statut=new');
      assert.equal(response.statusCode, 303);
      assert.equal(response.headers.location, `/connexion?next=${encodeURIComponent('/guichet?statut=new')}`);
    });
  });
}
