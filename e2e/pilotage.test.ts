/**
 * « Pilotage » in the browser: requests filed and answered through the pages, then the demo pilote
 * (CERES) filters the figures with the form (the filters stay in the address), reads the charts
 * and their tables, downloads a CSV and the ODS workbook and reads them back, opens the printable
 * report; the same page without JavaScript; a wrong period answered next to the field. axe on
 * every page.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe } from 'node:test';
import * as XLSX from '@e965/xlsx';
import type { Page } from 'playwright-core';
import { refreshAllFacts } from '../src/domain/pilotage/refresh.js';
import { act, expectNoAxeViolations, fileRequest, type Harness, menuLink, startHarness, storySteps } from './support/browser.js';

const SUBJECT = 'Pilotage - session introuvable';

describe('Pilotage in the browser', () => {
  let h: Harness;
  let pilot: Page;
  let number: number;
  const step = storySteps();

  before(async () => {
    h = await startHarness();
  });
  after(() => h?.stop());

  step('a requester files two requests and the desk answers one', async () => {
    const requester = await h.person('demandeur');
    const description = 'La session du 12 mars n’apparaît plus.';
    number = await fileRequest(requester, { subject: SUBJECT, application: 'CERES', blocking: true, description });
    await fileRequest(requester, { subject: 'Pilotage - second envoi', application: 'CERES', blocking: false, description });
    const agent = await h.person('agent');
    await agent.goto(`/demandes/${number}`);
    await act(agent, 'Prendre en charge');
    await act(agent, 'Traiter la demande', 'La session est rétablie.');
    await refreshAllFacts(h.portal.database.db);
  });

  step('the pilote lands on « Pilotage » and reads this month’s figures, charts with their tables', async () => {
    pilot = await h.person('pilote');
    await pilot.goto('/');
    await pilot.waitForURL(/\/pilotage$/);
    await menuLink(pilot, 'Pilotage').waitFor();
    const indicators = pilot.getByRole('table', { name: 'Indicateurs de la période et de la période précédente' });
    assert.match(
      (await indicators.getByRole('row', { name: /Demandes déposées/ }).textContent()) ?? '',
      /Demandes déposées\s*2\s*0/,
    );
    assert.match((await indicators.getByRole('row', { name: /Demandes traitées/ }).textContent()) ?? '', /Demandes traitées\s*1/);
    await pilot.getByRole('img', { name: /Demandes déposées, traitées et clôturées/ }).waitFor();
    await pilot.getByRole('table', { name: 'Demandes déposées, traitées et clôturées' }).waitFor();
    assert.equal(await pilot.getByText(SUBJECT).count(), 0, 'no subject shown to a pilote');
    await expectNoAxeViolations(pilot, 'pilotage');
  });

  step('the filters go in the address: blocking requests of CERES, the last 7 days', async () => {
    await pilot.getByRole('combobox', { name: /Période/ }).selectOption({ label: 'Les 7 derniers jours' });
    await pilot.getByRole('combobox', { name: 'Bloquant' }).selectOption({ label: 'Bloquantes' });
    await pilot.getByRole('button', { name: 'Afficher les chiffres' }).click();
    await pilot.waitForURL(/periode=7j.*bloquant=oui|bloquant=oui.*periode=7j/);
    const filed = pilot.getByRole('table', { name: /Indicateurs/ }).getByRole('row', { name: /Demandes déposées/ });
    assert.match((await filed.textContent()) ?? '', /Demandes déposées\s*1\s*0/);
    await expectNoAxeViolations(pilot, 'pilotage filtered');
  });

  step('a table downloads as CSV and the whole set as ODS, both read back', async () => {
    const [csv] = await Promise.all([
      pilot.waitForEvent('download'),
      pilot.getByRole('link', { name: 'CSV – Par canal' }).click(),
    ]);
    const text = readFileSync((await csv.path()) ?? '', 'utf8');
    assert.ok(text.startsWith('\uFEFFCanal;Demandes déposées;Part;'));
    // Shares are fractions with a decimal comma: LibreOffice reads them as numbers with its default import.
    assert.match(text, /\r\nPortail;1;1;1;/);
    const [ods] = await Promise.all([
      pilot.waitForEvent('download'),
      pilot.getByRole('link', { name: 'Tous les tableaux (ODS)' }).click(),
    ]);
    assert.match(ods.suggestedFilename(), /^pilotage-tableaux-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.ods$/);
    const book = XLSX.read(readFileSync((await ods.path()) ?? ''));
    assert.ok(book.SheetNames.includes('Par application'));
    const rows = XLSX.utils.sheet_to_json<unknown[]>(book.Sheets['Par application'] as XLSX.WorkSheet, { header: 1 });
    assert.deepEqual(rows[0]?.slice(0, 2), ['Application', 'Demandes déposées']);
    assert.deepEqual(rows[1]?.slice(0, 2), ['CERES', 1]);
  });

  step('the printable report, ready to be projected', async () => {
    await pilot.getByRole('link', { name: 'Rapport imprimable' }).click();
    await pilot.getByRole('heading', { level: 1, name: /Rapport de retour d’expérience — CERES — du / }).waitFor();
    await pilot.emulateMedia({ media: 'print' });
    assert.equal(await pilot.getByRole('link', { name: 'Tous les tableaux (ODS)' }).isVisible(), false);
    await pilot.emulateMedia({ media: 'screen' });
    await expectNoAxeViolations(pilot, 'report');
  });

  step('without JavaScript, the same figures; an inverted period is refused next to the field', async () => {
    const noScript = await h.person('pilote', { javaScript: false });
    await noScript.goto('/pilotage?periode=dates&du=2026-12-31&au=2026-01-01');
    await noScript.getByText('La date de fin doit être le même jour que la date de début ou après.').first().waitFor();
    assert.match(await noScript.title(), /^Erreur – Pilotage/);
    await expectNoAxeViolations(noScript, 'pilotage refused');
    await noScript.goto('/pilotage');
    await noScript.getByRole('table', { name: 'Satisfaction des demandeurs' }).waitFor();
    await expectNoAxeViolations(noScript, 'pilotage without JavaScript');
  });
});
