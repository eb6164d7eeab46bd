/**
 * The desk's day in the browser, at 1280 px and 375 px, with and without JavaScript: the agent's
 * home counts what waits; the queue sorts by a column's header, keeps a saved view, answers a
 * selection with a canned answer; « Demande suivante » goes on from a handled request. Axe on
 * every page.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { expectNoAxeViolations, fileRequest, type Harness, startHarness } from './support/browser.js';

const WIDTHS = [1280, 375];

for (const javaScript of [true, false]) {
  describe(`the desk's day in the browser (${javaScript ? 'with' : 'without'} JavaScript)`, () => {
    let h: Harness;
    const filed: number[] = [];

    before(async () => {
      h = await startHarness();
      const requester = await h.person('demandeur', { javaScript });
      for (const subject of ['Quasar : export vide', 'Quasar : agrément absent']) {
        filed.push(
          await fileRequest(requester, {
            subject,
            application: 'Revitalisation',
            blocking: false,
            description: 'Rien ne s’affiche.',
          }),
        );
      }
    });
    after(() => h?.stop());

    for (const width of WIDTHS) {
      describe(`at ${width} px`, () => {
        let agent: Page;
        before(async () => {
          agent = await h.person('agent', { javaScript, viewport: { width, height: 900 } });
        });

        test('the home page counts what waits, each figure a link to its list', async () => {
          await agent.goto('/');
          const counters = agent.getByRole('region', { name: 'Votre guichet aujourd’hui' });
          const fresh = counters.getByRole('link', { name: /Nouvelles/ });
          assert.match((await fresh.textContent()) ?? '', /^\d+ Nouvelles$/);
          await expectNoAxeViolations(agent, `home ${width}`);
          await fresh.click();
          await agent.waitForURL('**/guichet?statut=new');
          assert.equal(await agent.getByRole('combobox', { name: 'Statut' }).inputValue(), 'new');
        });

        test('a header sorts the queue; the page passes axe', async () => {
          await agent.goto('/guichet?reinitialiser');
          await agent.getByRole('link', { name: /^Mise à jour/ }).click();
          await agent.waitForURL('**/guichet?tri=maj-desc');
          assert.match((await agent.locator('caption').textContent()) ?? '', /la plus récemment mise à jour/);
          await expectNoAxeViolations(agent, `queue ${width}`);
        });

        test('a saved view comes back under « Mes vues »', async () => {
          await agent.goto('/guichet?reinitialiser');
          await agent.getByRole('combobox', { name: 'Application' }).selectOption({ label: 'Revitalisation' });
          await agent.getByRole('button', { name: 'Filtrer' }).click();
          await agent.waitForURL(/application=\d+/);
          const filtered = new URL(agent.url()).search;
          const name = `Revitalisation ${width}`;
          await agent.getByRole('textbox', { name: /^Nom de la vue/ }).fill(name);
          await agent.getByRole('button', { name: 'Enregistrer la vue' }).click();
          await agent.getByRole('heading', { name: 'La vue est enregistrée.' }).waitFor();
          await agent.goto('/guichet?reinitialiser');
          await agent.getByRole('navigation', { name: 'Mes vues' }).getByRole('link', { name }).click();
          assert.equal(
            new URL(agent.url()).search.replace(/&?(statut|echeance|niveau|gestionnaire|bloquant|nonlu|tri)=(?=&|$)/g, ''),
            filtered.replace(/&?(statut|echeance|niveau|gestionnaire|bloquant|nonlu|tri)=(?=&|$)/g, ''),
          );
          await expectNoAxeViolations(agent, `saved view ${width}`);
        });
      });
    }

    test('a selection is asked a complement with one message; « Demande suivante » then goes on', async () => {
      const agent = await h.person('agent', { javaScript });
      await agent.goto('/guichet?statut=new&tri=creation-desc');
      for (const number of filed) await agent.getByLabel(`Sélectionner la demande n° ${number}`).check({ force: true });
      await agent.getByRole('textbox', { name: /^Message/ }).fill('Pouvez-vous joindre une capture d’écran ?');
      await agent.getByRole('button', { name: 'Demander un complément à la sélection' }).click();
      await agent.getByRole('heading', { name: '2 demande(s) mise(s) en attente de complément.' }).waitFor();
      await expectNoAxeViolations(agent, 'selection done');
      await agent.goto('/guichet?reinitialiser');
      await agent.goto(`/demandes/${filed[0]}?fait=1`);
      await agent.getByRole('link', { name: 'Demande suivante' }).click();
      await agent.waitForURL(/\/demandes\/\d+$/);
      assert.notEqual(agent.url().split('/').pop(), String(filed[0]));
    });

    test('keyboard shortcuts: off by default, turned on from their page, never while typing', async () => {
      const agent = await h.person('agent', { javaScript });
      await agent.goto('/guichet');
      await agent.getByRole('link', { name: 'Raccourcis clavier' }).click();
      await agent.waitForURL('**/guichet/raccourcis');
      await expectNoAxeViolations(agent, 'shortcuts page');
      const toggle = agent.getByRole('button', { name: 'Activer les raccourcis' });
      if (!javaScript) {
        assert.equal(await toggle.count(), 0, 'no switch without JavaScript');
        assert.match((await agent.getByRole('status').textContent()) ?? '', /demandent JavaScript/);
        return;
      }
      await agent.goto('/guichet?statut=toutes&tri=creation-asc');
      await agent.keyboard.press('j');
      assert.equal(await agent.evaluate(() => document.activeElement?.tagName), 'BODY', 'nothing happens while they are off');
      await agent.goto('/guichet/raccourcis');
      await toggle.click();
      assert.equal(await agent.getByRole('button', { name: 'Désactiver les raccourcis' }).getAttribute('aria-pressed'), 'true');
      await agent.goto('/guichet?statut=toutes&tri=creation-asc');
      await agent.keyboard.press('j');
      await agent.keyboard.press('j');
      const links = agent.locator('tbody tr td:nth-child(2) a');
      assert.equal(await agent.evaluate(() => document.activeElement?.textContent), await links.nth(1).textContent());
      await agent.keyboard.press('x');
      assert.ok(await agent.locator('tbody tr').nth(1).getByRole('checkbox').isChecked(), '« x » checks the focused row');
      await agent.getByRole('textbox', { name: /^Message/ }).fill('jx');
      assert.equal(await agent.getByRole('textbox', { name: /^Message/ }).inputValue(), 'jx', 'typing is typing');
      await agent.goto(`/demandes/${filed[1]}`);
      await agent.keyboard.press('s');
      await agent.waitForURL((u) => /^\/demandes\/\d+$/.test(u.pathname) && u.pathname !== `/demandes/${filed[1]}`);
      assert.notEqual(agent.url().split('/').pop(), String(filed[1]), '« s » opens the next request');
    });
  });
}
