/**
 * A refused form with a file: the page comes back at the form's own address — no CSRF token in
 * the address bar (it would land in the history, in logs and in a shared link) — with what was
 * typed and the file kept, with and without JavaScript.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Harness, startHarness, writePng } from './support/browser.js';

for (const javaScript of [true, false]) {
  describe(`a refused form with a file (${javaScript ? 'with' : 'without'} JavaScript)`, () => {
    let h: Harness;
    before(async () => {
      h = await startHarness();
    });
    after(() => h?.stop());

    test('filing: the address holds no token, the file and the description are kept', async () => {
      const requester = await h.person('demandeur', { javaScript });
      await requester.goto('/demandes/nouvelle');
      await requester.getByRole('textbox', { name: /^Description\b/ }).fill('Capture jointe.');
      await requester.getByLabel(/^Ajouter un fichier\b/).setInputFiles(writePng(h.filesDir, 'capture-ecran.png'));
      await requester.getByRole('button', { name: 'Enregistrer', exact: true }).click();
      await requester.getByRole('heading', { name: /Le formulaire contient/ }).waitFor();
      const address = new URL(requester.url());
      assert.equal(address.pathname, '/demandes/nouvelle');
      assert.doesNotMatch(address.search, /csrf/i, 'no token in the address');
      assert.equal(await requester.getByRole('textbox', { name: /^Description\b/ }).inputValue(), 'Capture jointe.');
      assert.ok(await requester.getByText('capture-ecran.png').first().isVisible(), 'the file is kept');
    });
  });
}
