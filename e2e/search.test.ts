/**
 * « Rechercher »: from the header's search field to the results page, with filters and the matched
 * words highlighted; by keyboard, with and without JavaScript; axe on every page.
 */
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import type { Page } from 'playwright-core';
import { expectNoAxeViolations, type Harness, logIn, startHarness, storySteps } from './support/browser.js';

const GUIDE = 'Guide utilisateur CERES – Agréments';

describe('search', () => {
  let h: Harness;
  let visitor: Page;
  const step = storySteps();

  before(async () => {
    h = await startHarness();
  });
  after(() => h?.stop());

  const results = (page: Page) => page.locator('#knowledge-results > li');

  step('anyone searches from the header: words without accents, plural, highlighted in the excerpts', async () => {
    visitor = await h.person();
    await visitor.goto('/base-documentaire');
    const field = visitor.getByRole('searchbox', { name: 'Rechercher sur le site' });
    await field.fill('agrements bloquants');
    await field.press('Enter');
    await visitor.waitForURL((url) => url.pathname === '/recherche');
    assert.equal(new URL(visitor.url()).searchParams.get('q'), 'agrements bloquants');
    await visitor.getByRole('heading', { level: 1, name: 'Rechercher' }).waitFor();
    assert.match((await visitor.locator('#results-count').textContent()) ?? '', /\d+ résultats? pour « agrements bloquants »/);
    await visitor.getByRole('link', { name: GUIDE }).waitFor();
    const marks = visitor.locator('#knowledge-results mark');
    assert.ok((await marks.count()) > 0);
    assert.equal(await marks.first().isVisible(), true);
    assert.match((await marks.allInnerTexts()).join(' '), /agrément/i);
    await expectNoAxeViolations(visitor);
  });

  step('filters by type and application, by keyboard; the choices stay selected', async () => {
    await visitor.getByRole('combobox', { name: /^Type\b/ }).selectOption({ label: 'Documents' });
    await visitor.getByRole('combobox', { name: /^Application\b/ }).selectOption({ label: 'CERES' });
    await visitor.getByRole('button', { name: 'Filtrer' }).focus();
    await visitor.keyboard.press('Enter');
    await visitor.waitForURL((url) => url.searchParams.get('type') === 'document');
    const badges = await visitor.locator('#knowledge-results .fr-badge').allInnerTexts();
    assert.ok(badges.length > 0);
    assert.ok(
      badges.every((b) => b === 'DOCUMENT' || b === 'Document'),
      badges.join(', '),
    );
    assert.match((await results(visitor).first().textContent()) ?? '', /CERES/);
    assert.match((await results(visitor).first().textContent()) ?? '', /PDF – \d/);
    assert.equal(await visitor.getByRole('combobox', { name: /^Type\b/ }).inputValue(), 'document');
    await expectNoAxeViolations(visitor);
    await visitor.goto('/recherche?q=introuvablissime&type=faq');
    await visitor.getByRole('heading', { name: 'Aucun résultat' }).waitFor();
    await visitor.getByRole('link', { name: 'Rechercher sans filtre' }).waitFor();
    await expectNoAxeViolations(visitor, 'empty results');
  });

  step('an agent may also search requests (« Demandes »)', async () => {
    const agent = await h.person();
    await logIn(agent, 'agent');
    await agent.goto('/recherche');
    const types = await agent
      .getByRole('combobox', { name: /^Type\b/ })
      .locator('option')
      .allInnerTexts();
    assert.ok(types.includes('Demandes'));
    await agent.getByRole('searchbox', { name: 'Rechercher', exact: true }).fill('agrément');
    await agent.getByRole('searchbox', { name: 'Rechercher', exact: true }).press('Enter');
    await agent.waitForURL((url) => url.searchParams.get('q') === 'agrément');
    await expectNoAxeViolations(agent);
    await agent.close();
  });

  step('without JavaScript: the header search and the filters work from the HTML alone', async () => {
    const page = await h.person(undefined, { javaScript: false });
    await page.goto('/base-documentaire');
    const field = page.getByRole('searchbox', { name: 'Rechercher sur le site' });
    assert.equal(await field.isVisible(), true);
    await field.fill('Agréments');
    await field.press('Enter');
    await page.waitForURL((url) => url.pathname === '/recherche');
    await page.getByRole('link', { name: GUIDE }).waitFor();
    assert.equal(await page.locator('#knowledge-results mark').first().isVisible(), true);
    await expectNoAxeViolations(page);
    await page.getByRole('combobox', { name: /^Type\b/ }).selectOption({ label: 'F.A.Q.' });
    await page.getByRole('button', { name: 'Filtrer' }).click();
    await page.waitForURL((url) => url.searchParams.get('type') === 'faq');
    assert.equal(await page.getByRole('link', { name: GUIDE }).count(), 0);
    await expectNoAxeViolations(page);
  });

  step('on a small screen without JavaScript, the header search sits in the page; with it, the button opens it', async () => {
    const small = { width: 375, height: 800 };
    const plain = await h.person(undefined, { javaScript: false, viewport: small });
    await plain.goto('/base-documentaire');
    assert.equal(await plain.getByRole('button', { name: 'Rechercher', exact: true }).count(), 1, 'only the form’s button');
    const field = plain.getByRole('searchbox', { name: 'Rechercher sur le site' });
    await field.fill('agrement');
    await field.press('Enter');
    await plain.waitForURL((url) => url.pathname === '/recherche');
    await plain.getByRole('link', { name: GUIDE }).waitFor();
    await expectNoAxeViolations(plain, 'small screen without JavaScript');
    const scripted = await h.person(undefined, { viewport: small });
    await scripted.goto('/base-documentaire');
    await scripted.locator('.fr-header__navbar').getByRole('button', { name: 'Rechercher' }).click();
    const modalField = scripted.getByRole('searchbox', { name: 'Rechercher sur le site' });
    await modalField.fill('agrement');
    await modalField.press('Enter');
    await scripted.waitForURL((url) => url.pathname === '/recherche');
    await scripted.getByRole('link', { name: GUIDE }).waitFor();
  });
});
