/**
 * The request log never holds a secret: the one-time links of e-mails (reset, activation, new
 * address) carry their token in the address, and a CSRF token sent in a query string would too.
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { loggedUrl } from '../../src/web/plugins/log.js';
import { Visitor } from '../support/http.js';
import { createTestPortal, type TestPortal } from '../support/portal.js';

const SECRET = 'Zm9vYmFyYmF6cXV1eDEyMzQ1Njc4OTAxMjM0NTY3ODkw';

describe('security: secrets stay out of the request log (pglite)', () => {
  let portal: TestPortal;
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });

  before(async () => {
    portal = await createTestPortal('pglite', { LOG_LEVEL: 'info' }, { logger: { stream } });
  });
  after(() => portal?.close());

  test('links with tokens, and a token in a query string, are logged without them', async () => {
    const visitor = new Visitor(portal.app);
    for (const url of [`/mot-de-passe/${SECRET}`, `/activation/${SECRET}`, `/mon-compte/courriel/${SECRET}`]) {
      await visitor.get(url);
    }
    await visitor.post(`/demandes/nouvelle?_csrf=${SECRET}&x=1`, {});
    const log = lines.join('');
    assert.match(log, /"url":"\/mot-de-passe\/…"/, 'the requests are logged');
    assert.match(log, /"url":"\/demandes\/nouvelle\?_csrf=…&x=1"/);
    assert.ok(!log.includes(SECRET), `no token in the log: ${lines.filter((l) => l.includes(SECRET)).join('')}`);
  });

  test('other addresses are logged as they are', () => {
    assert.equal(
      loggedUrl('/demandes?statut=traitee&recherche=agr%C3%A9ment'),
      '/demandes?statut=traitee&recherche=agr%C3%A9ment',
    );
    assert.equal(loggedUrl('/mot-de-passe-oublie'), '/mot-de-passe-oublie');
  });
});
