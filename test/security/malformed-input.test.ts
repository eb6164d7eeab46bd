/**
 * Malformed numbers and cursors in addresses (too big for their column, decimals, garbage)
 * answer a 404 or the plain list, never a 500 that fills the error logs.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Visitor } from '../support/http.js';
import { createTestPortal, DATABASE_KINDS, type TestPortal } from '../support/portal.js';

const cursor = (text: string) => Buffer.from(text).toString('base64url');

for (const kind of DATABASE_KINDS) {
  describe(`security: malformed ids and cursors (${kind})`, () => {
    let portal: TestPortal;

    before(async () => {
      portal = await createTestPortal(kind);
    });
    after(() => portal?.close());

    test('public pages', async () => {
      const anonymous = new Visitor(portal.app);
      for (const url of ['/faq/99999999999', '/faq/1.5', '/faq/-3', '/faq/0x10', '/faq/%00']) {
        assert.equal((await anonymous.get(url)).statusCode, 404, url);
      }
      for (const url of ['/base-documentaire?application=99999999999', '/base-documentaire?application=1.5']) {
        assert.equal((await anonymous.get(url)).statusCode, 200, url);
      }
    });

    test('requests, files and lists', async () => {
      const agent = await new Visitor(portal.app).login('agent');
      const demandeur = await new Visitor(portal.app).login('demandeur');
      for (const url of ['/demandes/1.5', '/demandes/-1', '/demandes/99999999999999999999', '/pieces-jointes/1e400']) {
        assert.equal((await agent.get(url)).statusCode, 404, url);
      }
      const lists = [
        '/guichet?application=99999999999',
        '/guichet?application=1.5',
        '/guichet?apres=garbage',
        `/guichet?apres=${cursor('2026-11-28T22:00:00.000000Z|99999999999999999999')}`,
        `/guichet?apres=${cursor("2026-11-28T22:00:00.000000Z'|1")}`,
        '/guichet?statut=x&niveau=3&gestionnaire=42&bloquant=peut-etre',
      ];
      for (const url of lists) assert.equal((await agent.get(url)).statusCode, 200, url);
      for (const url of ['/demandes?application=99999999999', '/demandes?apres=%27', '/demandes?statut=%27']) {
        assert.equal((await demandeur.get(url)).statusCode, 200, url);
      }
    });

    test('administration pages', async () => {
      const admin = await new Visitor(portal.app).login('admin');
      for (const url of ['/admin/courriels/99999999999999999999', '/admin/courriels/1.5', '/admin/courriels/-1']) {
        assert.equal((await admin.get(url)).statusCode, 404, url);
      }
      for (const url of ['/admin/courriels?avant=1e30', '/admin/courriels?avant=1.5', '/admin/journal?avant=1e30']) {
        assert.equal((await admin.get(url)).statusCode, 200, url);
      }
    });
  });
}
