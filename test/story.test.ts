import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { PNG, Visitor } from './support/http.js';
import { createTestPortal, DATABASE_KINDS, type TestPortal } from './support/portal.js';

for (const kind of DATABASE_KINDS) {
  describe(`the guide's story (${kind})`, () => {
    let portal: TestPortal;
    before(async () => {
      portal = await createTestPortal(kind);
    });
    after(() => portal?.close());

    test('a requester files a request with a screenshot, once', async () => {
      const requester = await new Visitor(portal.app).login('demandeur');
      const form = await requester.get('/demandes/nouvelle');
      const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!;
      const token = /name="token" value="([^"]+)"/.exec(form.body)![1]!;
      const ceres = /<option value="(\d+)"[^>]*>CERES<\/option>/.exec(form.body)![1]!;
      const theme = /<option value="(\d+)"[^>]*>base des agréments<\/option>/.exec(form.body)![1]!;
      const fields = {
        token,
        subject: 'BLOQUANT - base des agréments',
        blocking: 'oui',
        applicationId: ceres,
        themeId: theme,
        problemTypeId: '',
        businessReference: '',
        description: 'Impossible d’enregistrer un agrément : le bouton reste grisé.',
        // The knowledge base's suggestions were seen while typing: the form files at once.
        suggestionsShown: '1',
      };
      const first = await requester.postMultipart(`/demandes/nouvelle`, { _csrf: csrf, ...fields }, [
        ['files', 'capture.png', PNG],
      ]);
      assert.equal(first.statusCode, 303, first.body.slice(0, 500));
      const again = await requester.postMultipart(`/demandes/nouvelle`, { _csrf: csrf, ...fields });
      assert.equal(again.statusCode, 303);
      const number = /\/demandes\/(\d+)/.exec(first.headers.location as string)![1];
      assert.match(again.headers.location as string, new RegExp(`/demandes/${number}\\?deja=1`));
      const page = await requester.get(`/demandes/${number}`);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Suivi de la demande n° \d+/);
      assert.match(page.body, /capture\.png/);
      const receipts = await portal.database.db.execute(
        // biome-ignore lint/suspicious/noExplicitAny: raw SQL in a test
        `select count(*)::int as n from outbox where kind = 'receipt'` as any,
      );
      assert.equal((receipts.rows[0] as { n: number }).n, 1);
    });
  });
}
