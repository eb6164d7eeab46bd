/**
 * « Mes demandes » in the browser: the requester filters by status and application, searches words of
 * the subject, sorts, goes to the next page, exports the list (a real download), then answers the
 * satisfaction survey of a closed request with the keyboard alone. axe runs on each state.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe } from 'node:test';
import { sql } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { transaction } from '../src/db/client.js';
import { applyAction } from '../src/domain/requests/commands/apply-action.js';
import { fileRequest } from '../src/domain/requests/commands/file-request.js';
import type { Action } from '../src/domain/vocabulary.js';
import { newFormToken } from '../src/web/shared/form-token.js';
import { actorOf, applicationId } from '../test/support/factories.js';
import { expectNoAxeViolations, type Harness, menuLink, startHarness, storySteps } from './support/browser.js';

/** The subjects of the list's rows, in order. */
const subjects = (page: Page) =>
  page.locator('table tbody tr td:nth-child(4) a').evaluateAll((links) => links.map((a) => a.textContent?.trim() ?? ''));

const numbers = async (page: Page) =>
  (await page.locator('table tbody tr td:first-child a').allTextContents()).map((t) => Number(t.trim()));

describe('Mes demandes: filters, search, sort, pages, export and the satisfaction survey', () => {
  let h: Harness;
  let requester: Page;
  const filed: Record<string, number> = {};
  const step = storySteps();

  before(async () => {
    h = await startHarness();
    const db = h.portal.database.db;
    const file = async (subject: string, app: string) => {
      const actor = await actorOf(db, 'demandeur');
      const input = {
        subject,
        blocking: false,
        applicationId: await applicationId(db, app),
        themeId: null,
        problemTypeId: null,
        businessReference: null,
        description: 'Décrite pour le test.',
      };
      const created = await transaction(db, (tx) =>
        fileRequest(tx, actor, input, { publicUrl: h.url, submissionToken: newFormToken() }),
      );
      filed[subject] = created.number;
      return created.number;
    };
    const act = async (login: string, number: number, action: Action, message?: string) => {
      const actor = await actorOf(db, login);
      await transaction(db, (tx) => applyAction(tx, actor, number, action, { message }, { publicUrl: h.url }));
    };
    // Twenty-two older requests first, so the list has a second page.
    const requester = await actorOf(db, 'demandeur');
    const ariane = await applicationId(db, 'ARIANE');
    await db.execute(sql`insert into requests (subject, description, application_id, requester_id, created_by_id, structure_id,
        created_at, updated_at)
      select 'Question n° ' || i, 'Texte', ${ariane}, ${requester.id}, ${requester.id}, ${requester.structureId},
        now() - interval '30 days' + i * interval '1 minute', now() - interval '30 days' + i * interval '1 minute'
      from generate_series(1, 22) i`);
    await file('Agréments', 'CERES');
    const treated = await file('BLOQUANT - base des agréments', 'CERES');
    await act('agent', treated, 'resolve', 'Voici la réponse.');
    await file('Connexion impossible', 'ARIANE');
    const closed = await file('Export des sessions vide', 'CERES');
    await act('agent', closed, 'resolve', 'Le correctif est en place.');
    await act('demandeur', closed, 'accept');
  });
  after(() => h?.stop());

  step('the requester opens « Mes demandes »: newest first, twenty a page', async () => {
    requester = await h.person('demandeur');
    await menuLink(requester, 'Mes demandes').click();
    await requester.waitForURL('**/demandes');
    await requester.getByRole('heading', { level: 1, name: 'Mes demandes' }).waitFor();
    assert.match((await requester.locator('#results-count').textContent()) ?? '', /26 demandes/);
    assert.equal((await subjects(requester)).length, 20);
    assert.equal((await subjects(requester))[0], 'Export des sessions vide');
    await expectNoAxeViolations(requester);
  });

  step('filters by status and application', async () => {
    const filters = requester.getByRole('form', { name: 'Filtrer et trier les demandes' });
    await filters.getByText('Traitée', { exact: true }).click();
    await filters.getByText('Clôturée', { exact: true }).click();
    await filters.getByRole('combobox', { name: 'Application' }).selectOption({ label: 'CERES' });
    await filters.getByRole('button', { name: 'Filtrer' }).click();
    await requester.waitForURL((url) => url.searchParams.getAll('statut').join() === 'resolved,closed');
    assert.match(new URL(requester.url()).searchParams.get('application') ?? '', /^\d+$/);
    assert.deepEqual(await subjects(requester), ['Export des sessions vide', 'BLOQUANT - base des agréments']);
    assert.match((await requester.locator('#results-count').textContent()) ?? '', /2 demandes correspondant à ces critères/);
    assert.ok(await requester.getByLabel('Traitée', { exact: true }).isChecked(), 'the form keeps the filters');
    await expectNoAxeViolations(requester);
    await requester.getByRole('link', { name: 'Réinitialiser les filtres' }).click();
    await requester.waitForURL((url) => url.pathname === '/demandes' && url.search === '');
    assert.equal((await subjects(requester)).length, 20);
  });

  step('searches words of the subject, accents and plurals folded', async () => {
    await requester
      .getByRole('main')
      .getByRole('searchbox', { name: /^Rechercher/ })
      .fill('agrement');
    await requester.getByRole('button', { name: 'Filtrer' }).click();
    await requester.waitForURL(/q=agrement/);
    assert.deepEqual((await subjects(requester)).sort(), ['Agréments', 'BLOQUANT - base des agréments']);
    await requester
      .getByRole('main')
      .getByRole('searchbox', { name: /^Rechercher/ })
      .fill('sans résultat');
    await requester.getByRole('button', { name: 'Filtrer' }).click();
    await requester.getByText('Aucune demande ne correspond à ces critères').waitFor();
    await expectNoAxeViolations(requester, 'empty list');
    await requester.getByRole('link', { name: 'Réinitialiser les filtres' }).click();
    await requester.waitForURL((url) => url.search === '');
  });

  step('sorts by number, ascending, and goes to the next page with the same sort', async () => {
    await requester.getByRole('combobox', { name: 'Trier par' }).selectOption({ label: 'Numéro, croissant' });
    await requester.getByRole('button', { name: 'Filtrer' }).click();
    await requester.waitForURL(/tri=numero-asc/);
    const first = await numbers(requester);
    assert.equal(first.length, 20);
    assert.deepEqual(
      first,
      [...first].sort((a, b) => a - b),
    );
    await requester.getByRole('link', { name: 'Page suivante' }).click();
    await requester.waitForURL(/tri=numero-asc&apres=/);
    const second = await numbers(requester);
    assert.equal(second.length, 6);
    assert.ok(second[0]! > first.at(-1)!, 'the second page follows the first');
    assert.equal(second.at(-1), filed['Export des sessions vide']);
    await expectNoAxeViolations(requester, 'second page');
  });

  step('exports the list as a CSV file', async () => {
    await requester.goto('/demandes?statut=new');
    const [download] = await Promise.all([
      requester.waitForEvent('download'),
      requester.getByRole('link', { name: 'Exporter (CSV)' }).click(),
    ]);
    assert.match(download.suggestedFilename(), /^mes-demandes-\d{4}-\d{2}-\d{2}\.csv$/);
    const text = readFileSync((await download.path())!, 'utf8');
    assert.ok(text.startsWith('\uFEFFNuméro;Objet;Application;Statut;Déposée le;Mise à jour le\r\n'));
    const lines = text.trim().split('\r\n').slice(1);
    assert.equal(lines.length, 24, 'the new requests only: 22 questions, « Agréments », « Connexion impossible »');
    assert.ok(lines.some((l) => l.startsWith(`${filed.Agréments};Agréments;CERES;Nouvelle;`)));
    assert.ok(!text.includes('BLOQUANT'));
  });

  step('answers the satisfaction survey with the keyboard alone', async () => {
    const number = filed['Export des sessions vide']!;
    await requester.goto(`/demandes/${number}`);
    const survey = requester.getByRole('form', { name: 'Votre avis sur le traitement de cette demande (facultatif)' });
    await survey.waitFor();
    // Sent without a rating: the error is announced and named next to the group.
    await survey.getByRole('textbox', { name: /^Commentaire/ }).focus();
    await requester.keyboard.type('Réponse rapide et claire.');
    await requester.keyboard.press('Tab');
    await requester.keyboard.press('Enter');
    await requester.waitForURL(`**/demandes/${number}/avis`);
    assert.match(await requester.title(), /^Erreur – /);
    await requester.getByRole('group', { name: /Choisissez une note de 1 à 5/ }).waitFor();
    await expectNoAxeViolations(requester, 'survey refused');

    await requester.getByRole('radio', { name: '1 – Pas du tout satisfait' }).focus();
    for (let i = 0; i < 3; i++) await requester.keyboard.press('ArrowDown');
    assert.ok(await requester.getByRole('radio', { name: '4 – Satisfait' }).isChecked());
    await requester.keyboard.press('Tab');
    assert.equal(await requester.evaluate(() => document.activeElement?.id), 'survey-comment');
    assert.equal(await requester.getByRole('textbox', { name: /^Commentaire/ }).inputValue(), 'Réponse rapide et claire.');
    await requester.keyboard.press('Tab');
    await requester.keyboard.press('Enter');
    await requester.getByText('Merci pour votre avis.').waitFor();
    assert.ok(await requester.getByText('4 – Satisfait').isVisible());
    assert.equal(await requester.getByRole('form', { name: /Votre avis sur le traitement/ }).count(), 0);
    await expectNoAxeViolations(requester, 'survey answered');
  });
});
