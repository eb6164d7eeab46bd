/**
 * FAQ and news in the browser: an editor writes an FAQ entry (a refused first try, then the
 * preview), saves and publishes it; a requester finds it under « Dernières réponses » on the home
 * page and reads it. The editor also writes a news item shown on the home page. Every page passes axe.
 */
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import type { Page } from 'playwright-core';
import { expectNoAxeViolations, type Harness, startHarness, storySteps } from './support/browser.js';

const TITLE = 'Débloquer une session en agrément bloquant';
const ANSWER =
  '## Vérifications\n\n- la date de fin de l’agrément ;\n- la **dérogation** de l’établissement.\n\nPuis relancez les éditions.';

describe('FAQ and news', () => {
  let h: Harness;
  let editor: Page;
  let requester: Page;
  const step = storySteps();

  before(async () => {
    h = await startHarness();
  });
  after(() => h?.stop());

  step('an editor opens « Rédaction » and is refused an entry without a title', async () => {
    editor = await h.person('admin');
    await editor.goto('/redaction');
    await expectNoAxeViolations(editor);
    await editor.getByRole('link', { name: 'Nouvelle question' }).click();
    await editor.waitForURL('**/redaction/faq/nouvelle');
    await expectNoAxeViolations(editor);

    await editor.getByRole('combobox', { name: /^Application\b/ }).selectOption({ label: 'CERES' });
    await editor.getByRole('textbox', { name: /^Réponse\b/ }).fill(ANSWER);
    await editor.getByRole('button', { name: 'Enregistrer', exact: true }).click();
    await editor.waitForLoadState();
    assert.match(await editor.title(), /^Erreur – /);
    assert.ok(
      await editor
        .getByRole('alert')
        .getByRole('link', { name: /Titre : Le titre est obligatoire/ })
        .isVisible(),
    );
    assert.equal(await editor.getByRole('textbox', { name: /^Réponse\b/ }).inputValue(), ANSWER);
    await expectNoAxeViolations(editor, 'FAQ form with errors');
  });

  step('the preview shows the entry as readers will see it, then it is saved and published', async () => {
    await editor.getByRole('textbox', { name: /^Titre\b/ }).fill(TITLE);
    await editor.getByRole('combobox', { name: /^Thème\b/ }).selectOption({ label: 'base des agréments' });
    await editor.getByRole('button', { name: 'Aperçu' }).click();
    await editor.waitForLoadState();
    assert.ok(await editor.getByText('Aperçu — rien n’est enregistré').isVisible());
    assert.ok(await editor.getByRole('heading', { name: new RegExp(`\\d+ - ${TITLE}`) }).isVisible());
    assert.ok(await editor.getByRole('heading', { name: 'Vérifications' }).isVisible());
    assert.equal(await editor.getByRole('textbox', { name: /^Titre\b/ }).inputValue(), TITLE);
    await expectNoAxeViolations(editor, 'FAQ preview');

    await editor.getByRole('button', { name: 'Enregistrer', exact: true }).click();
    await editor.waitForURL(/\/redaction\/faq\/\d+\?fait=cree$/);
    assert.ok(await editor.getByText('Le brouillon a été créé').isVisible());
    await expectNoAxeViolations(editor, 'FAQ draft');
    await editor.getByRole('button', { name: 'Publier' }).click();
    await editor.waitForURL(/\?fait=publie$/);
    assert.ok(await editor.getByRole('button', { name: 'Dépublier' }).isVisible());
    await expectNoAxeViolations(editor, 'FAQ published');
    await editor.goto('/redaction/faq');
    await expectNoAxeViolations(editor);
  });

  step('a requester reads it from « Dernières réponses » on the home page', async () => {
    requester = await h.person('demandeur');
    await requester.goto('/');
    await expectNoAxeViolations(requester, 'home page');
    const faq = requester.getByRole('region', { name: 'F.A.Q.' });
    await faq.getByRole('link', { name: new RegExp(`- ${TITLE}$`) }).click();
    await requester.waitForURL(/\/faq\/\d+$/);
    assert.ok(await requester.getByRole('heading', { level: 1, name: new RegExp(TITLE) }).isVisible());
    assert.ok(await requester.getByRole('listitem').filter({ hasText: 'la dérogation de l’établissement' }).isVisible());
    await expectNoAxeViolations(requester, 'FAQ entry');
    await requester.getByRole('link', { name: 'Toutes les questions' }).click();
    await requester.waitForURL('**/faq');
    await expectNoAxeViolations(requester, 'FAQ list');
  });

  step('without JavaScript, « Aperçu » is a plain form post that keeps what was typed', async () => {
    const plain = await h.person('admin', { javaScript: false });
    await plain.goto('/redaction/faq/nouvelle');
    await plain.getByRole('textbox', { name: /^Titre\b/ }).fill('Question écrite sans JavaScript');
    await plain.getByRole('combobox', { name: /^Application\b/ }).selectOption({ label: 'CERES' });
    await plain.getByRole('textbox', { name: /^Réponse\b/ }).fill('Une *réponse* [illustrée](javascript:alert(1)).');
    await plain.getByRole('button', { name: 'Aperçu' }).click();
    await plain.waitForLoadState();
    assert.ok(await plain.getByRole('heading', { name: /- Question écrite sans JavaScript$/ }).isVisible());
    assert.equal(await plain.getByRole('link', { name: 'illustrée' }).count(), 0, 'a javascript: link is not a link');
    assert.equal(
      await plain.getByRole('textbox', { name: /^Réponse\b/ }).inputValue(),
      'Une *réponse* [illustrée](javascript:alert(1)).',
    );
    await expectNoAxeViolations(plain, 'FAQ preview without JavaScript');
  });

  step('an editor writes a news item; refused dates first; the requester sees it on the home page', async () => {
    await editor.goto('/redaction/actualites/nouvelle');
    await expectNoAxeViolations(editor);
    await editor.getByRole('textbox', { name: /^Titre\b/ }).fill('Assistance fermée le 24 décembre');
    await editor.getByRole('textbox', { name: /^Texte\b/ }).fill('L’assistance sera **fermée** le 24 décembre.');
    await editor.getByLabel(/^Début de publication/).fill('2026-11-20');
    await editor.getByLabel(/^Fin de publication/).fill('2026-11-10');
    await editor.getByRole('button', { name: 'Enregistrer', exact: true }).click();
    await editor.waitForLoadState();
    assert.match(await editor.title(), /^Erreur – /);
    await expectNoAxeViolations(editor, 'news form with errors');
    await editor.getByLabel(/^Fin de publication/).fill('2099-12-24');
    await editor.getByRole('button', { name: 'Aperçu' }).click();
    await editor.waitForLoadState();
    assert.ok(await editor.getByText('Publiée du 20/11/2026 au 24/12/2099').isVisible());
    await expectNoAxeViolations(editor, 'news preview');
    await editor.getByRole('button', { name: 'Enregistrer', exact: true }).click();
    await editor.waitForURL(/\/redaction\/actualites\/\d+\?fait=cree$/);
    await editor.getByRole('button', { name: 'Publier' }).click();
    await editor.waitForURL(/\?fait=publie$/);
    await expectNoAxeViolations(editor, 'news published');
    await editor.goto('/redaction/actualites');
    await expectNoAxeViolations(editor);

    await requester.goto('/');
    const news = requester.getByRole('region', { name: 'Actualité' });
    assert.ok(await news.getByRole('heading', { name: 'Assistance fermée le 24 décembre' }).isVisible());
    assert.equal(await news.getByText('Maintenance de CERES').count(), 0);
    await news.getByRole('link', { name: 'Toutes les actualités' }).click();
    await requester.waitForURL('**/actualites');
    assert.ok(await requester.getByRole('heading', { name: 'Maintenance de CERES les 10 et 11 octobre 2026' }).isVisible());
    await expectNoAxeViolations(requester, 'news archive');
  });
});
