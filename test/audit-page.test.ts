/** « Journal d’audit » reads in French: actions as sentences, targets as what they name, linked. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { audit } from '../src/domain/audit/audit.js';
import { Visitor } from './support/http.js';
import { createTestPortal, DATABASE_KINDS, type TestPortal } from './support/portal.js';

for (const kind of DATABASE_KINDS) {
  describe(`audit page (${kind})`, () => {
    let portal: TestPortal;
    before(async () => {
      portal = await createTestPortal(kind);
    });
    after(() => portal?.close());

    test('logins and an account request, as sentences, the request linked to its page', async () => {
      await audit(portal.database.db, { action: 'account_request.approve', target: 'account_request:3' });
      const admin = await new Visitor(portal.app).login('admin');
      const page = (await admin.get('/admin/journal')).body;
      assert.match(page, /<td>Connexion<\/td>/);
      assert.match(page, /<td>Demande de compte validée<\/td>/);
      assert.match(page, /<a href="\/admin\/demandes-de-compte\/3">Demande de compte n° 3<\/a>/);
      // The codes are only the action filter's option values, never text a person reads.
      const read = page.replace(/<select[\s\S]*?<\/select>/g, '');
      assert.doesNotMatch(read, /login\.success|account_request:3|account_request\.approve/);
    });
  });
}
