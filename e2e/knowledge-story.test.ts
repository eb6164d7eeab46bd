/**
 * The knowledge base's story: a requester browses « Base documentaire » › CERES › a theme, opens a
 * document and an FAQ entry; typing the subject of a new request brings the right FAQ entry as a
 * suggestion, which they open and leave to file; an agent attaches that entry to the request and
 * the requester sees it under « Ressources associées ». Then the suggestion step without
 * JavaScript. axe checks every page.
 */
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { sql } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { expectNoAxeViolations, type Harness, menuLink, startHarness, storySteps } from './support/browser.js';

const SUBJECT = 'Dérogation échue pour des mineurs';
const FAQ_TITLE = /^58 - Décret n° 2013-914 du 11 octobre 2013 relatif à la procédure de dérogation/;
const DESCRIPTION = 'La session de juin accueille des mineurs et CERES la refuse depuis hier.';

describe('the knowledge base, from browsing to « Ressources associées »', () => {
  let h: Harness;
  let requester: Page;
  let agent: Page;
  let number: number;
  const step = storySteps();

  before(async () => {
    h = await startHarness();
  });
  after(() => h?.stop());

  const records = async (kind: string) =>
    (await h.portal.database.db.execute(sql`select count(*) as n from knowledge_suggestions where kind = ${kind}`)).rows[0] as {
      n: number | string;
    };

  step('the requester browses CERES, then a theme, from the side menu', async () => {
    requester = await h.person('demandeur');
    await menuLink(requester, 'Base documentaire').click();
    await requester.getByRole('heading', { level: 1, name: 'Base documentaire' }).waitFor();
    await expectNoAxeViolations(requester);
    const side = requester.getByRole('navigation', { name: 'Thématique' });
    await side.getByRole('link', { name: 'CERES', exact: true }).click();
    await requester.getByRole('heading', { level: 1, name: 'Base documentaire – CERES' }).waitFor();
    await expectNoAxeViolations(requester);
    await requester.getByRole('navigation', { name: 'Thématique' }).getByRole('link', { name: 'base des agréments' }).click();
    await requester.getByRole('heading', { level: 1, name: 'Base documentaire – CERES – base des agréments' }).waitFor();
    await expectNoAxeViolations(requester);
  });

  step('they open a document, then an FAQ entry of the theme', async () => {
    const theme = requester.url();
    await requester
      .getByRole('link', { name: /Guide utilisateur CERES – Agréments/ })
      .first()
      .click();
    await requester.getByRole('heading', { level: 1, name: 'Guide utilisateur CERES – Agréments' }).waitFor();
    await expectNoAxeViolations(requester);
    await requester.goto(theme);
    await requester.getByRole('link', { name: FAQ_TITLE }).click();
    await requester.waitForURL('**/faq/58');
    await requester.getByRole('heading', { level: 1, name: /dérogation/ }).waitFor();
    await expectNoAxeViolations(requester);
  });

  step('typing the subject of a new request brings the FAQ entry as a suggestion', async () => {
    await requester.goto('/');
    await requester.getByRole('link', { name: 'Déposer une nouvelle demande' }).click();
    await requester.waitForURL('**/demandes/nouvelle');
    await requester.getByRole('combobox', { name: /^Application\b/ }).selectOption({ label: 'CERES' });
    await requester.getByRole('textbox', { name: /^Sujet\b/ }).pressSequentially(SUBJECT, { delay: 20 });
    const region = requester.locator('#suggestions-region');
    assert.equal(await region.getAttribute('aria-live'), 'polite');
    await region.getByRole('heading', { name: 'Ces réponses peuvent vous aider' }).waitFor();
    const first = region.getByRole('listitem').first().getByRole('link');
    assert.match((await first.textContent()) ?? '', FAQ_TITLE);
    assert.match((await first.getAttribute('title')) ?? '', / - nouvelle fenêtre$/);
    await expectNoAxeViolations(requester, 'new request with suggestions');
  });

  step('they open it in a new tab, come back to the form as they left it, and file', async () => {
    const link = requester.locator('#suggestions-region').getByRole('link', { name: FAQ_TITLE });
    const [tab] = await Promise.all([requester.context().waitForEvent('page'), link.click()]);
    await tab.waitForURL('**/faq/58');
    await tab.getByRole('heading', { level: 1, name: /dérogation/ }).waitFor();
    await expectNoAxeViolations(tab, 'FAQ opened from a suggestion');
    await tab.close();
    assert.equal(Number((await records('opened')).n), 1);
    assert.equal(await requester.getByRole('textbox', { name: /^Sujet\b/ }).inputValue(), SUBJECT);
    await requester
      .getByRole('group', { name: /Bloquant \/ Non bloquant/ })
      .getByText('Bloquant', { exact: true })
      .click();
    await requester.getByRole('textbox', { name: /^Description\b/ }).fill(DESCRIPTION);
    await requester.getByRole('button', { name: 'Enregistrer', exact: true }).click();
    // Seen while typing: no second step.
    await requester.waitForURL(/\/demandes\/\d+\?cree=1$/);
    number = Number(/\/demandes\/(\d+)/.exec(requester.url())?.[1]);
    await expectNoAxeViolations(requester);
    assert.equal(Number((await records('filed')).n), 1);
  });

  step('an agent finds the FAQ entry from the request and attaches it', async () => {
    agent = await h.person('agent');
    await agent.goto(`/demandes/${number}`);
    const section = agent.getByRole('region', { name: 'Ressources associées' });
    await section.getByRole('searchbox', { name: /^Associer une fiche de F\.A\.Q\. ou un document/ }).fill('dérogation mineurs');
    await section.getByRole('button', { name: 'Rechercher dans la base documentaire' }).click();
    await agent.getByRole('heading', { level: 1, name: `Associer une ressource à la demande n° ${number}` }).waitFor();
    await expectNoAxeViolations(agent);
    await agent.getByRole('button', { name: /^Associer 58 - Décret/ }).click();
    await agent.waitForURL(new RegExp(`/demandes/${number}\\?fait=1#ressources$`));
    await agent.getByRole('region', { name: 'Ressources associées' }).getByRole('link', { name: FAQ_TITLE }).waitFor();
    await expectNoAxeViolations(agent);
  });

  step('the requester sees it under « Ressources associées »', async () => {
    await requester.goto(`/demandes/${number}`);
    const section = requester.getByRole('region', { name: 'Ressources associées' });
    await section.getByRole('link', { name: FAQ_TITLE }).click();
    await requester.waitForURL('**/faq/58');
    await requester.goBack();
    await expectNoAxeViolations(requester);
  });

  step('without JavaScript, the first « Enregistrer » shows the suggestions; the second files', async () => {
    const page = await h.person('demandeur', { javaScript: false });
    await page.goto('/demandes/nouvelle');
    await page.getByRole('textbox', { name: /^Sujet\b/ }).fill(SUBJECT);
    await page
      .getByRole('group', { name: /Bloquant \/ Non bloquant/ })
      .getByText('Non bloquant', { exact: true })
      .click();
    await page.getByRole('combobox', { name: /^Application\b/ }).selectOption({ label: 'CERES' });
    await page.getByRole('textbox', { name: /^Description\b/ }).fill(DESCRIPTION);
    await page.getByRole('button', { name: 'Enregistrer', exact: true }).click();
    await page.getByRole('heading', { name: 'Avant d’enregistrer, ces réponses peuvent vous aider' }).waitFor();
    const step = page.locator('#suggestions-step');
    assert.match((await step.getByRole('link').first().textContent()) ?? '', FAQ_TITLE);
    assert.equal(await page.getByRole('textbox', { name: /^Description\b/ }).inputValue(), DESCRIPTION);
    await expectNoAxeViolations(page, 'suggestions step without JavaScript');
    await page.getByRole('button', { name: 'Enregistrer', exact: true }).click();
    await page.waitForURL(/\/demandes\/\d+\?cree=1$/);
    await expectNoAxeViolations(page);
  });
});
