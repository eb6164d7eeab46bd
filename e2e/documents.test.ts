/**
 * « Base documentaire » in the browser: an editor creates a document with a PDF (after a refused
 * first try), previews it and publishes it; a requester browses CERES › a theme and opens it.
 * Every page passes axe.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import type { Page } from 'playwright-core';
import { expectNoAxeViolations, type Harness, startHarness, storySteps } from './support/browser.js';

const TITLE = 'Clôture d’une session d’examen';

async function writePdf(path: string) {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  doc.addPage().drawText('Clôturer une session : vérifier les procès-verbaux.', { x: 40, y: 760, size: 12, font });
  writeFileSync(path, await doc.save());
}

describe('documents of the knowledge base', () => {
  let h: Harness;
  let editor: Page;
  let requester: Page;
  const step = storySteps();

  before(async () => {
    h = await startHarness();
  });
  after(() => h?.stop());

  step('an administrator writes a document: refused without title nor file, then saved as a draft', async () => {
    editor = await h.person('admin');
    await editor.goto('/');
    await editor.getByRole('link', { name: 'Rédaction', exact: true }).click();
    await editor.waitForURL('**/redaction');
    await expectNoAxeViolations(editor);
    await editor.getByRole('link', { name: 'Nouveau document' }).first().click();
    await editor.waitForURL('**/redaction/documents/nouveau');
    await expectNoAxeViolations(editor);
    await editor.getByRole('button', { name: 'Enregistrer le brouillon' }).click();
    await editor.waitForLoadState('load');
    assert.match((await editor.locator('#error-summary').textContent()) ?? '', /Titre/);
    assert.match((await editor.locator('#file-messages').textContent()) ?? '', /Choisissez le fichier/);
    await expectNoAxeViolations(editor, 'refused document form');

    const pdf = join(h.filesDir, 'cloture-session.pdf');
    await writePdf(pdf);
    await editor.getByRole('textbox', { name: /^Titre/ }).fill(TITLE);
    await editor
      .getByRole('textbox', { name: /^Résumé/ })
      .fill('Les étapes pour clôturer une session et éditer les procès-verbaux.');
    await editor.getByRole('combobox', { name: /^Application/ }).selectOption({ label: 'CERES' });
    await editor.getByRole('combobox', { name: /^Thématique/ }).selectOption({ label: 'base des sessions' });
    await editor.getByLabel('Personnes connectées').check();
    await editor.getByLabel(/^Fichier/).setInputFiles(pdf);
    await editor.getByRole('button', { name: 'Enregistrer le brouillon' }).click();
    await editor.waitForURL(/\/redaction\/documents\/\d+\?fait=cree$/);
    assert.match((await editor.getByRole('status').first().textContent()) ?? '', /enregistré en brouillon/);
    assert.match((await editor.locator('body').textContent()) ?? '', /PDF – [\d,]+ (?:o|ko|Mo)/);
    await expectNoAxeViolations(editor);
  });

  step('the editor previews the document, then publishes it', async () => {
    await editor.getByRole('link', { name: 'Aperçu' }).click();
    await editor.waitForURL(/\/apercu$/);
    assert.equal(await editor.getByRole('heading', { level: 1 }).textContent(), TITLE);
    assert.match((await editor.locator('main, #content').first().textContent()) ?? '', /une fois publié/);
    await expectNoAxeViolations(editor);
    await editor.getByRole('link', { name: 'Retour à la rédaction' }).click();
    await editor.getByRole('button', { name: 'Publier' }).click();
    await editor.waitForURL(/\?fait=publie$/);
    assert.match((await editor.getByRole('status').first().textContent()) ?? '', /Le document est publié/);
    await expectNoAxeViolations(editor);
  });

  step('a requester browses CERES › base des sessions and opens the document', async () => {
    requester = await h.person('demandeur');
    await requester.goto('/');
    await requester.getByRole('link', { name: 'Base documentaire', exact: true }).first().click();
    await requester.waitForURL('**/base-documentaire');
    await expectNoAxeViolations(requester);
    const menu = requester.getByRole('navigation', { name: 'Thématique' });
    await menu.getByRole('link', { name: 'CERES', exact: true }).click();
    await requester.waitForURL(/application=\d+$/);
    await expectNoAxeViolations(requester);
    await menu.getByRole('link', { name: 'base des sessions' }).click();
    await requester.waitForURL(/theme=\d+$/);
    assert.equal(
      await requester.getByRole('heading', { level: 1 }).textContent(),
      'Base documentaire – CERES – base des sessions',
    );
    await expectNoAxeViolations(requester);
    await requester.getByRole('link', { name: TITLE, exact: true }).click();
    await requester.waitForURL(/\/base-documentaire\/documents\/\d+$/);
    assert.equal(await requester.getByRole('heading', { level: 1 }).textContent(), TITLE);
    const download = requester.getByRole('link', { name: /Télécharger/ });
    assert.match((await download.textContent()) ?? '', /PDF – [\d,]+ (?:o|ko|Mo)/);
    await expectNoAxeViolations(requester);
    const [file] = await Promise.all([requester.waitForEvent('download'), download.click()]);
    assert.equal(file.suggestedFilename(), 'cloture-session.pdf');
  });

  step('the guide of CERES shows its previous version; the agents-only procedure is not listed', async () => {
    await requester.goto('/base-documentaire');
    await requester.getByRole('navigation', { name: 'Thématique' }).getByRole('link', { name: 'CERES', exact: true }).click();
    await requester.getByRole('link', { name: 'base des agréments' }).click();
    assert.doesNotMatch((await requester.locator('body').textContent()) ?? '', /Procédure interne/);
    await requester.getByRole('link', { name: 'Guide utilisateur CERES – Agréments', exact: true }).click();
    await requester.getByRole('heading', { name: 'Versions précédentes' }).waitFor();
    await expectNoAxeViolations(requester);
  });
});
