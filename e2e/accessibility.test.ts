/**
 * axe-core (WCAG 2.0/2.1 A and AA) over every page of the portal, for every role, with zero
 * violations; and the keyboard entry into the login page.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { act, expectNoAxeViolations, fileRequest, type Harness, menuLink, startHarness } from './support/browser.js';

type Visit = { path: string; status?: number; heading?: string | RegExp };

/** Visits each page and runs axe; every failure is reported, not only the first. */
async function checkPages(page: Page, visits: Visit[]) {
  const failures: string[] = [];
  for (const { path, status = 200, heading } of visits) {
    try {
      const response = await page.goto(path);
      assert.equal(response?.status(), status, `${path}: status`);
      if (heading) await page.getByRole('heading', { level: 1, name: heading }).waitFor({ timeout: 10_000 });
      await expectNoAxeViolations(page, path);
    } catch (error) {
      failures.push(error instanceof Error ? error.message : String(error));
    }
  }
  assert.deepEqual(failures, [], `\n${failures.join('\n\n')}`);
}

describe('accessibility of every page', () => {
  let h: Harness;
  let requester: Page;
  let agent: Page;
  let number: number;

  before(async () => {
    h = await startHarness();
  });
  after(() => h?.stop());

  test('anonymous pages', async () => {
    const visitor = await h.person();
    await visitor.goto('/base-documentaire');
    await visitor.getByRole('link', { name: 'CERES', exact: true }).click();
    await visitor.waitForURL(/application=\d+/);
    const ceres = new URL(visitor.url()).searchParams.get('application');
    await checkPages(visitor, [
      { path: '/connexion', heading: 'Connexion' },
      { path: '/mot-de-passe-oublie', heading: 'Mot de passe oublié' },
      { path: '/demande-de-compte', heading: 'Demande de compte' },
      { path: '/base-documentaire', heading: 'Base documentaire' },
      { path: `/base-documentaire?application=${ceres}`, heading: 'Base documentaire – CERES' },
      { path: '/faq/55', heading: /^55 - / },
      { path: '/accessibilite', heading: 'Déclaration d’accessibilité' },
      { path: '/mentions-legales', heading: 'Mentions légales' },
      { path: '/donnees-personnelles', heading: 'Données personnelles' },
      { path: '/cookies', heading: 'Gestion des cookies' },
      { path: '/cette-page-n-existe-pas', status: 404, heading: 'Page non trouvée' },
    ]);
    // A refused login.
    await visitor.goto('/connexion');
    await visitor.getByLabel('Identifiant', { exact: true }).fill('demandeur');
    await visitor.getByLabel('Mot de passe', { exact: true }).fill('pas le bon mot de passe');
    await visitor.getByRole('button', { name: 'Connexion', exact: true }).click();
    await visitor.getByText('Identifiant ou mot de passe incorrect.').waitFor();
    assert.match(await visitor.title(), /^Erreur – /);
    await expectNoAxeViolations(visitor, 'refused login');
  });

  test('requester pages', async () => {
    requester = await h.person('demandeur');
    number = await fileRequest(requester, {
      subject: 'Accessibilité - demande de contrôle',
      application: 'CERES',
      blocking: false,
      theme: 'base des sessions',
      description: 'Une demande pour contrôler les pages qui l’affichent.',
    });
    await checkPages(requester, [
      { path: '/', heading: 'Accueil' },
      { path: '/demandes', heading: 'Mes demandes' },
      { path: '/demandes/nouvelle', heading: 'Saisie d’une nouvelle demande' },
      { path: `/demandes/${number}`, heading: `Suivi de la demande n° ${number}` },
      { path: '/mon-compte', heading: 'Mon compte' },
      { path: '/admin', status: 403, heading: 'Accès refusé' },
    ]);
    // The new-request form refused, with its errors.
    await requester.goto('/demandes/nouvelle');
    await requester.getByRole('button', { name: 'Enregistrer', exact: true }).click();
    await requester.getByRole('heading', { name: /Le formulaire contient \d+ erreurs/ }).waitFor();
    await expectNoAxeViolations(requester, 'refused new request');
  });

  test('desk pages, level 1, with each action form open', async () => {
    agent = await h.person('agent');
    await checkPages(agent, [
      { path: '/', heading: 'Accueil' },
      { path: '/guichet', heading: 'Guichet' },
      { path: `/demandes/${number}`, heading: `Suivi de la demande n° ${number}` },
    ]);
    const toggles = agent.getByRole('region', { name: 'Traitement' }).getByRole('button', { expanded: false });
    const names = await toggles.allTextContents();
    assert.ok(names.length >= 5, names.join(', '));
    for (const name of names) {
      await agent.getByRole('button', { name: name.trim(), exact: true, expanded: false }).click();
      await agent.getByRole('form', { name: name.trim(), exact: true }).waitFor();
      await expectNoAxeViolations(agent, `request page, « ${name.trim()} » open`);
    }
    await act(agent, 'Transmettre au niveau 2', 'Pour le contrôle des pages du niveau 2.');
  });

  test('desk pages, level 2', async () => {
    const expert = await h.person('expert');
    await checkPages(expert, [
      { path: '/guichet', heading: 'Guichet' },
      { path: `/demandes/${number}`, heading: `Suivi de la demande n° ${number}` },
    ]);
    await act(expert, 'Prendre en charge');
    await expert.getByRole('button', { name: 'Renvoyer au niveau 1', expanded: false }).click();
    await expectNoAxeViolations(expert, 'request page at level 2, « Renvoyer au niveau 1 » open');
  });

  test('administration pages', async () => {
    const admin = await h.person('admin');
    await checkPages(admin, [
      { path: '/admin', heading: 'Administration' },
      { path: '/admin/parametres', heading: 'Paramètres' },
      { path: '/admin/courriels', heading: 'Courriels envoyés' },
      { path: '/admin/journal', heading: 'Journal d’audit' },
    ]);
    await admin.goto('/admin/courriels');
    await admin.getByRole('table').getByRole('link').first().click();
    await admin.waitForURL(/\/admin\/courriels\/\d+$/);
    await expectNoAxeViolations(admin);
    // Settings refused, with their errors.
    await admin.goto('/admin/parametres');
    await admin.getByRole('textbox', { name: /^Téléphone de l’assistance/ }).fill('pas un numéro');
    await admin.getByRole('textbox', { name: /^Nom du service/ }).fill('');
    await admin.getByRole('button', { name: 'Enregistrer', exact: true }).click();
    await admin.getByRole('heading', { name: /Le formulaire contient/ }).waitFor();
    await expectNoAxeViolations(admin, 'refused settings');
  });

  test('dark display: the same contrasts hold', async () => {
    // The portal follows the system's setting (data-fr-scheme="system"), here switched to dark.
    const dark = agent;
    await dark.emulateMedia({ colorScheme: 'dark' });
    await dark.goto('/');
    // The DSFR script applies the scheme after load, in its own time.
    await dark.waitForFunction(() => document.documentElement.dataset.frTheme === 'dark');
    await checkPages(dark, [
      { path: '/', heading: 'Accueil' },
      { path: '/guichet', heading: 'Guichet' },
      { path: `/demandes/${number}`, heading: `Suivi de la demande n° ${number}` },
      { path: '/cette-page-n-existe-pas', status: 404, heading: 'Page non trouvée' },
    ]);
    await dark.emulateMedia({ colorScheme: 'light' });
  });

  test('keyboard: the skip link comes first, with a visible focus, and leads to the content', async () => {
    const visitor = await h.person();
    await visitor.goto('/connexion');
    await visitor.keyboard.press('Tab');
    const focused = await visitor.evaluate(() => {
      const element = document.activeElement as HTMLElement;
      const style = getComputedStyle(element);
      const box = element.getBoundingClientRect();
      return {
        text: element.textContent?.trim(),
        href: element.getAttribute('href'),
        outline: `${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}`,
        outlineVisible: style.outlineStyle !== 'none' && Number.parseFloat(style.outlineWidth) >= 1,
        onScreen: box.width > 0 && box.height > 0 && box.top >= 0 && box.bottom <= window.innerHeight,
      };
    });
    assert.equal(focused.text, 'Contenu');
    assert.equal(focused.href, '#content');
    assert.ok(focused.outlineVisible, `no visible focus outline: ${focused.outline}`);
    assert.ok(focused.onScreen, 'the focused skip link is not shown');
    await visitor.keyboard.press('Enter');
    assert.equal(await visitor.evaluate(() => document.activeElement?.id), 'content');
    // From the content, the login form comes in reading order.
    const order: string[] = [];
    for (let i = 0; i < 8 && !order.includes('Connexion'); i++) {
      await visitor.keyboard.press('Tab');
      order.push(
        await visitor.evaluate(() => {
          const element = document.activeElement as HTMLInputElement;
          return element.labels?.[0]?.textContent?.trim() || element.textContent?.trim() || element.tagName;
        }),
      );
    }
    const at = (name: string) => order.findIndex((entry) => entry.startsWith(name));
    assert.ok(at('Identifiant') >= 0 && at('Identifiant') < at('Mot de passe'), order.join(' → '));
    assert.ok(at('Mot de passe') < at('Connexion'), order.join(' → '));
  });

  test('the main menu marks the current page', async () => {
    await requester.goto('/');
    for (const name of ['Mes demandes', 'Base documentaire', 'Accueil']) {
      await menuLink(requester, name).click();
      await requester.getByRole('heading', { level: 1, name, exact: true }).waitFor();
      assert.equal(await menuLink(requester, name).getAttribute('aria-current'), 'page');
    }
  });
});
