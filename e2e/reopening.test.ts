/**
 * Reopening in the browser, with and without JavaScript, at 1280 px and 375 px: the requester
 * reopens their closed request by saying why; the desk reads it in the history and reopens another
 * one itself. Axe on every page.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { act, actionForm, expectNoAxeViolations, fileRequest, type Harness, startHarness, submit } from './support/browser.js';

for (const javaScript of [true, false]) {
  describe(`reopening a closed request (${javaScript ? 'with' : 'without'} JavaScript)`, () => {
    let h: Harness;
    const closed: number[] = [];

    before(async () => {
      h = await startHarness();
      const requester = await h.person('demandeur', { javaScript });
      const agent = await h.person('agent', { javaScript });
      for (const subject of ['Attestation absente de nouveau', 'Export vide après correction']) {
        const number = await fileRequest(requester, {
          subject,
          application: 'CERES',
          blocking: false,
          description: 'Le document attendu ne s’affiche pas dans la liste.',
        });
        await agent.goto(`/demandes/${number}`);
        await act(agent, 'Traiter la demande', 'C’est corrigé : actualisez la page.');
        await requester.goto(`/demandes/${number}`);
        await submit(requester, requester.getByRole('button', { name: 'Cette réponse me convient, je clos la demande' }));
        closed.push(number);
      }
    });
    after(() => h?.stop());

    for (const width of [1280, 375]) {
      test(`the requester reads until when they may reopen it (${width} px)`, async () => {
        const page = await h.person('demandeur', { javaScript, viewport: { width, height: 900 } });
        await page.goto(`/demandes/${closed[0]}`);
        const section = page.getByRole('region', { name: 'Rouvrir la demande' });
        assert.match((await section.textContent()) ?? '', /jusqu’au \d{2}\/\d{2}\/\d{4}/);
        await expectNoAxeViolations(page, `closed request ${width}`);
      });
    }

    test('the requester reopens it, saying why; the desk reads it in the history', async () => {
      const requester = await h.person('demandeur', { javaScript });
      await requester.goto(`/demandes/${closed[0]}`);
      const form = actionForm(requester, 'Rouvrir la demande');
      await form.getByRole('textbox').fill('Le document a de nouveau disparu.');
      await submit(requester, form.getByRole('button', { name: 'Rouvrir la demande' }));
      assert.match((await requester.getByRole('row', { name: /^Statut/ }).textContent()) ?? '', /En cours de traitement/);
      await expectNoAxeViolations(requester, 'reopened');
      const agent = await h.person('agent', { javaScript });
      await agent.goto(`/demandes/${closed[0]}`);
      assert.ok(await agent.getByText('Le document a de nouveau disparu.').first().isVisible());
    });

    test('the desk reopens the other one', async () => {
      const agent = await h.person('agent', { javaScript });
      await agent.goto(`/demandes/${closed[1]}`);
      await act(agent, 'Rouvrir la demande', 'La correction ne couvre pas tous les centres.');
      assert.match((await agent.getByRole('row', { name: /^Statut/ }).textContent()) ?? '', /En cours de traitement/);
      await expectNoAxeViolations(agent, 'reopened by the desk');
    });
  });
}
