/**
 * After a submission the focus is on what it says (RGAA 7.3), with and without JavaScript: the
 * success notice after filing and after an action, the error summary after a refused form. A
 * keyboard user's next Tab leaves from there, not from the top of the page.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { fileRequest, type Harness, startHarness, submit } from './support/browser.js';

/** The focused element: its role and the start of its text. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null;
    const box = element?.getBoundingClientRect();
    return {
      role: element?.getAttribute('role') ?? element?.tagName ?? '',
      text: element?.textContent?.trim().slice(0, 60) ?? '',
      // The page has scrolled to it: its top is on the screen.
      inView: box !== undefined && box.top >= 0 && box.top < window.innerHeight,
    };
  });

for (const [javaScript, width] of [
  [true, 1280],
  [false, 1280],
  [true, 375],
  [false, 375],
] as const) {
  describe(`focus after a submission (${javaScript ? 'with' : 'without'} JavaScript, ${width} px)`, () => {
    let h: Harness;
    let requester: Page;

    before(async () => {
      h = await startHarness();
      requester = await h.person('demandeur', { javaScript, viewport: { width, height: 800 } });
    });
    after(() => h?.stop());

    test('a refused form: the error summary has the focus', async () => {
      await requester.goto('/demandes/nouvelle');
      await requester.getByRole('button', { name: 'Enregistrer', exact: true }).click();
      await requester.getByRole('heading', { name: /Le formulaire contient/ }).waitFor();
      const summary = await focused(requester);
      assert.equal(summary.role, 'alert');
      assert.ok(summary.inView, 'the summary is on the screen');
      assert.match(summary.text, /^Le formulaire contient \d+ erreurs/);
    });

    test('a request filed: the notice has the focus, and Tab goes on from it', async () => {
      await fileRequest(requester, {
        subject: 'Export des candidats vide',
        application: 'CERES',
        blocking: false,
        description: 'Le fichier exporté ne contient aucune ligne.',
      });
      const notice = await focused(requester);
      assert.equal(notice.role, 'status');
      assert.ok(notice.inView, 'the notice is on the screen');
      assert.match(notice.text, /^Votre demande a bien été enregistrée/);
      await requester.keyboard.press('Tab');
      const next = await requester.evaluate(() => document.activeElement?.closest('#content') !== null);
      assert.ok(next, 'the next Tab stays in the content, after the notice');
    });

    test('an action done: the notice has the focus', async () => {
      const form = requester.getByRole('form', { name: 'J’ajoute une information' });
      await form.getByRole('textbox').fill('Le fichier est vide depuis ce matin.');
      await submit(requester, form.getByRole('button', { name: 'Ajouter', exact: true }));
      const notice = await focused(requester);
      assert.equal(notice.role, 'status');
      assert.ok(notice.inView, 'the notice is on the screen');
    });
  });
}
