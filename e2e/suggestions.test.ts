/**
 * Suggestions while filing, as a person sees them: on a wide screen beside the form, on a phone
 * after it; typing the subject brings them into the fixed live region and no field moves; the
 * keyboard goes from field to field without passing through them; axe finds nothing. Without
 * JavaScript, the form still files, through its suggestions step.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { expectNoAxeViolations, type Harness, startHarness } from './support/browser.js';

const SUBJECT = 'Dérogation échue pour des mineurs';
const FAQ_TITLE = /^58 - Décret n° 2013-914/;
const VIEWPORTS = [
  { name: 'wide screen', width: 1280, height: 900 },
  { name: 'phone', width: 375, height: 800 },
];

/** Where an element is in the page (not in the window: the page may scroll). */
async function place(locator: Locator) {
  const box = await locator.boundingBox();
  assert.ok(box, 'the element is shown');
  const scroll = await locator.page().evaluate(() => ({ x: window.scrollX, y: window.scrollY }));
  return { x: box.x + scroll.x, y: box.y + scroll.y, width: box.width, height: box.height };
}

/** The focused element's name and id, to follow the Tab order. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const element = document.activeElement as HTMLInputElement | null;
    return { name: element?.name ?? '', id: element?.id ?? '' };
  });

describe('suggestions while filing a request', () => {
  let h: Harness;

  before(async () => {
    h = await startHarness();
  });
  after(() => h?.stop());

  for (const viewport of VIEWPORTS) {
    test(`${viewport.name} (${viewport.width} px): the suggestions come into their region and no field moves`, async () => {
      const page = await h.person('demandeur', { viewport: { width: viewport.width, height: viewport.height } });
      await page.goto('/demandes/nouvelle');
      const region = page.locator('#suggestions-region');
      assert.equal(await region.getAttribute('aria-live'), 'polite');
      assert.equal((await region.innerHTML()).trim(), '', 'empty until there is something to suggest');
      await page.getByRole('combobox', { name: /^Application\b/ }).selectOption({ label: 'CERES' });
      const theme = page.getByRole('combobox', { name: /^Thème\b/ });
      const submit = page.getByRole('button', { name: 'Enregistrer', exact: true });
      const themeBefore = await place(theme);
      const submitBefore = await place(submit);

      await page.getByRole('textbox', { name: /^Sujet\b/ }).pressSequentially(SUBJECT, { delay: 20 });
      await region.getByRole('heading', { name: 'Ces réponses peuvent vous aider' }).waitFor();
      const links = region.getByRole('link');
      assert.match((await links.first().textContent()) ?? '', FAQ_TITLE);
      assert.ok((await links.count()) <= 3, 'three suggestions at most');
      assert.deepEqual(await place(theme), themeBefore, 'the Thème field has not moved');
      assert.deepEqual(await place(submit), submitBefore, 'the submit button has not moved');

      const shown = await place(region);
      const subject = await place(page.getByRole('textbox', { name: /^Sujet\b/ }));
      if (viewport.width >= 992) assert.ok(shown.x >= subject.x + subject.width, 'beside the form');
      else assert.ok(shown.y >= submitBefore.y + submitBefore.height, 'after the form');
      await expectNoAxeViolations(page, `new request with suggestions, ${viewport.width} px`);
    });
  }

  test('the Tab order goes from field to field; the suggestions come after the form', async () => {
    const page = await h.person('demandeur');
    await page.goto('/demandes/nouvelle');
    await page.getByRole('combobox', { name: /^Application\b/ }).selectOption({ label: 'CERES' });
    const subject = page.getByRole('textbox', { name: /^Sujet\b/ });
    await subject.pressSequentially(SUBJECT, { delay: 20 });
    await page.locator('#suggestions-region').getByRole('link').first().waitFor();
    await subject.focus();
    await page.keyboard.press('Tab');
    assert.equal((await focused(page)).name, 'blocking', 'from Sujet to Bloquant / Non bloquant');
    await page.getByRole('combobox', { name: /^Application\b/ }).focus();
    await page.keyboard.press('Tab');
    assert.equal((await focused(page)).id, 'themeId', 'from Application to Thème');
    const after = await page.evaluate(() => {
      const form = document.getElementById('new-request-form');
      const region = document.getElementById('suggestions-region');
      return Boolean(form && region && form.compareDocumentPosition(region) & Node.DOCUMENT_POSITION_FOLLOWING);
    });
    assert.ok(after, 'the region follows the form');
    assert.equal(await page.locator('[tabindex]:not([tabindex="-1"]):not([tabindex="0"])').count(), 0, 'no forced Tab order');
  });

  test('without JavaScript, the first « Enregistrer » shows the suggestions; the second files', async () => {
    const page = await h.person('demandeur', { javaScript: false, viewport: { width: 375, height: 800 } });
    await page.goto('/demandes/nouvelle');
    await page.getByRole('textbox', { name: /^Sujet\b/ }).fill(SUBJECT);
    await page
      .getByRole('group', { name: /Bloquant \/ Non bloquant/ })
      .getByText('Non bloquant', { exact: true })
      .click();
    await page.getByRole('combobox', { name: /^Application\b/ }).selectOption({ label: 'CERES' });
    await page.getByRole('textbox', { name: /^Description\b/ }).fill('La session de juin accueille des mineurs.');
    await page.getByRole('button', { name: 'Enregistrer', exact: true }).click();
    await page.getByRole('heading', { name: 'Avant d’enregistrer, ces réponses peuvent vous aider' }).waitFor();
    assert.match((await page.locator('#suggestions-step').getByRole('link').first().textContent()) ?? '', FAQ_TITLE);
    await expectNoAxeViolations(page, 'suggestions step without JavaScript, 375 px');
    await page.getByRole('button', { name: 'Enregistrer', exact: true }).click();
    await page.waitForURL(/\/demandes\/\d+\?cree=1$/);
  });
});
