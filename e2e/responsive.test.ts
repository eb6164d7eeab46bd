/**
 * Phones and wide screens, with and without JavaScript: at 375 px the request lists are cards whose
 * status is in view and the page does not scroll sideways, the request's summary wraps; at 1280 px
 * the summary shows two facts a line and the lists stay tables; the header's State block is whole
 * for every role at 1280 and 1024 px. axe runs at each width.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { transaction } from '../src/db/client.js';
import { applyAction } from '../src/domain/requests/commands/apply-action.js';
import { fileRequest } from '../src/domain/requests/commands/file-request.js';
import { newFormToken } from '../src/web/shared/form-token.js';
import { actorOf, applicationId } from '../test/support/factories.js';
import { expectNoAxeViolations, type Harness, startHarness } from './support/browser.js';

const PHONE = { width: 375, height: 800 };
const WIDE = { width: 1280, height: 900 };
const LONG_SUBJECT = 'BLOQUANT - base des agréments : impossible d’enregistrer un agrément pour la session de juin 2026';
const LONG_REFERENCE = 'REF-2026-0001234567890-ABCDEFGHIJKLMNOPQRSTUVWXYZ-0123456789';

/** How far the page scrolls sideways: 0 when nothing is wider than the window. */
const sideScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

/** The rows of a request list, each with where its status badge and subject link are drawn. */
async function listRows(page: Page) {
  const rows = page.locator('table.guichet-requests tbody tr');
  const count = await rows.count();
  assert.ok(count > 0, `no request listed on ${page.url()}`);
  const drawn = [];
  for (let i = 0; i < count; i++) {
    const row = rows.nth(i);
    const badge = row.locator('.guichet-requests__status .fr-badge');
    const subject = row.locator('.guichet-requests__subject a');
    drawn.push({ visible: await badge.isVisible(), badge: await badge.boundingBox(), subject: await subject.boundingBox() });
  }
  return drawn;
}

describe('phones and wide screens', () => {
  let h: Harness;
  let number: number;

  before(async () => {
    h = await startHarness();
    const db = h.portal.database.db;
    const requester = await actorOf(db, 'demandeur');
    const agent = await actorOf(db, 'agent');
    const ceres = await applicationId(db, 'CERES');
    const file = async (subject: string) => {
      const input = {
        subject,
        blocking: true,
        applicationId: ceres,
        themeId: null,
        problemTypeId: null,
        businessReference: LONG_REFERENCE,
        description: 'Décrite pour le test.',
      };
      const created = await transaction(db, (tx) =>
        fileRequest(tx, requester, input, { publicUrl: h.url, submissionToken: newFormToken() }),
      );
      return created.number;
    };
    number = await file(LONG_SUBJECT);
    await file('Unmotsanscoupurequidébordeetquinefinitjamaisdutoutpourvoirsilacellesecoupe');
    const asked = await file('Export des sessions vide');
    await transaction(db, (tx) => applyAction(tx, agent, asked, 'ask_info', { message: 'Quel fichier ?' }, { publicUrl: h.url }));
  });
  after(() => h?.stop());

  for (const javaScript of [true, false]) {
    const how = javaScript ? 'with JavaScript' : 'without JavaScript';

    test(`at 375 px, ${how}: the lists are cards, each status in view, no sideways scroll`, async () => {
      const pages: [string, string[]][] = [
        ['demandeur', ['/', '/demandes']],
        ['agent', ['/', '/guichet']],
      ];
      for (const [login, paths] of pages) {
        const page = await h.person(login, { javaScript, viewport: PHONE });
        for (const path of paths) {
          await page.goto(path);
          assert.equal(await sideScroll(page), 0, `${path} scrolls sideways for ${login}`);
          for (const [i, row] of (await listRows(page)).entries()) {
            assert.ok(row.visible && row.badge, `${path}, row ${i + 1}: no status in view`);
            assert.ok(
              row.badge.x >= 0 && row.badge.x + row.badge.width <= PHONE.width,
              `${path}, row ${i + 1}: status off screen`,
            );
            assert.ok(row.subject && row.subject.x + row.subject.width <= PHONE.width, `${path}, row ${i + 1}: subject cut`);
          }
          // A link of the table (a sorting header too) is seen when focused: none is left out of sight.
          const hidden = await page.locator('table.guichet-requests a').evaluateAll(
            (links, width) =>
              links.filter((a) => {
                const box = a.getBoundingClientRect();
                return box.width < 2 || box.left < 0 || box.right > width;
              }).length,
            PHONE.width,
          );
          assert.equal(hidden, 0, `${path}: links of the list out of sight`);
          await expectNoAxeViolations(page, `${path} (${login}, 375 px, ${how})`);
        }
      }
    });

    test(`at 375 px, ${how}: a card is still a table row for screen readers, without the visible names read again`, async () => {
      const page = await h.person('demandeur', { javaScript, viewport: PHONE });
      await page.goto('/demandes');
      const table = page.getByRole('table', { name: /^Mes demandes/ });
      assert.deepEqual(await table.getByRole('columnheader').allTextContents(), [
        '#',
        'Déposée le',
        'Mise à jour',
        'Sujet',
        'Statut',
        'Application',
      ]);
      const row = table.getByRole('row').filter({ hasText: LONG_SUBJECT });
      assert.equal(await row.getByRole('cell', { name: 'Nouvelle', exact: true }).count(), 1);
      assert.equal(await row.getByRole('cell', { name: 'CERES', exact: true }).count(), 1);
      assert.equal(await row.getByRole('cell', { name: String(number), exact: true }).count(), 1);
    });

    test(`the summary, ${how}: it wraps at 375 px, two facts a line at 1280 px`, async () => {
      const phone = await h.person('demandeur', { javaScript, viewport: PHONE });
      await phone.goto(`/demandes/${number}`);
      assert.equal(await sideScroll(phone), 0);
      const widest = await phone
        .locator('table.guichet-summary')
        .first()
        .evaluate((table) =>
          Math.max(
            ...[table, ...table.querySelectorAll('*')].map((e) => Math.max(e.getBoundingClientRect().right, e.scrollWidth)),
          ),
        );
      assert.ok(widest <= PHONE.width, `the summary is ${widest} px wide`);
      const cell = phone.getByRole('row', { name: /^Sujet/ }).getByRole('cell');
      assert.equal(((await cell.textContent()) ?? '').trim(), LONG_SUBJECT);
      assert.ok(((await cell.boundingBox())?.height ?? 0) > 30, 'the subject wraps onto several lines');
      await expectNoAxeViolations(phone, `request page (375 px, ${how})`);

      const wide = await h.person('demandeur', { javaScript, viewport: WIDE });
      await wide.goto(`/demandes/${number}`);
      const label = (name: string) => wide.getByRole('rowheader', { name, exact: true }).boundingBox();
      const [subject, status] = [await label('Sujet'), await label('Statut')];
      assert.ok(subject && status);
      assert.equal(Math.round(subject.y), Math.round(status.y), 'Sujet and Statut side by side');
      assert.ok(status.x > subject.x + subject.width);
      assert.equal(await sideScroll(wide), 0);
      await expectNoAxeViolations(wide, `request page (1280 px, ${how})`);
    });

    test(`at 1280 px, ${how}: the lists stay tables`, async () => {
      const page = await h.person('agent', { javaScript, viewport: WIDE });
      await page.goto('/guichet');
      const header = page.locator('table.guichet-requests thead');
      assert.ok(((await header.boundingBox())?.height ?? 0) > 20, 'the column headers are shown');
      const display = await page
        .locator('table.guichet-requests tbody tr')
        .first()
        .evaluate((tr) => getComputedStyle(tr).display);
      assert.equal(display, 'table-row');
      await expectNoAxeViolations(page, `/guichet (1280 px, ${how})`);
    });
  }

  test('the State block of the header is whole at 1280 and 1024 px, for each role', async () => {
    for (const login of ['demandeur', 'agent', 'admin']) {
      for (const width of [1280, 1024]) {
        const page = await h.person(login, { viewport: { width, height: 800 } });
        await page.goto(login === 'demandeur' ? '/demandes' : '/guichet');
        const block = await page.locator('.fr-header__brand-top').evaluate((top) => {
          const logo = top.querySelector('.fr-logo') as HTMLElement;
          return {
            scroll: top.scrollWidth,
            client: top.clientWidth,
            logoRight: logo.getBoundingClientRect().right,
            right: top.getBoundingClientRect().right,
            // Its lines are split by <br>.
            text: [...logo.childNodes]
              .map((n) => n.textContent)
              .join(' ')
              .replace(/\s+/g, ' ')
              .trim(),
          };
        });
        const where = `${login} at ${width} px`;
        assert.ok(block.scroll <= block.client, `${where}: the block is cut (${block.scroll} > ${block.client} px)`);
        assert.ok(block.logoRight <= block.right + 0.5, `${where}: the ministry's name overflows its block`);
        assert.match(block.text, /^Ministère du Travail et des Solidarités$/i);
        if (width === 1280) await expectNoAxeViolations(page, where);
      }
    }
  });
});
