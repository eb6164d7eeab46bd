/**
 * « Journal d’audit » searched: each filter narrows the list (person, action, object, period, and
 * together), pages return every match once, newest first, a mistyped date is refused next to its
 * field with what was typed kept, the CSV holds the filtered rows only with formulas neutralised,
 * and only administrators reach the page and the file. On both databases.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { auditLog, users } from '../src/db/schema.js';
import { Visitor } from './support/http.js';
import { createTestPortal, DATABASE_KINDS, type TestPortal } from './support/portal.js';

/** More than the page's 100 rows, so the list has a second page. */
const TEMPLATE_EDITS = 130;

/** The ids of the entries listed on a page, in their order. */
const listedTargets = (html: string) =>
  [...html.matchAll(/<td>(?:<a href="[^"]*">)?([^<]*(?:n°|«)[^<]*)(?:<\/a>)?<\/td>/g)].map((m) => m[1]);

for (const kind of DATABASE_KINDS) {
  describe(`audit search (${kind})`, () => {
    let portal: TestPortal;
    let admin: Visitor;
    before(async () => {
      portal = await createTestPortal(kind);
      const { db } = portal.database;
      const idOf = async (login: string) => (await db.select({ id: users.id }).from(users).where(eq(users.login, login)))[0]?.id;
      const [adminId, agentId] = [await idOf('admin'), await idOf('agent')];
      const at = (iso: string) => new Date(iso);
      await db.insert(auditLog).values(
        Array.from({ length: TEMPLATE_EDITS }, (_, i) => ({
          action: 'template.update',
          actorId: adminId,
          target: `template:modele_${String(i).padStart(3, '0')}`,
          // Four entries a second: the page's end falls between entries of the same second.
          at: at(`2026-02-10T09:00:${String(Math.floor(i / 4)).padStart(2, '0')}Z`),
        })),
      );
      await db.insert(auditLog).values([
        // 11:00 in Paris on 5 March, and 00:30 on the 6th (UTC is an hour behind in winter).
        { action: 'settings.update', actorId: agentId, at: at('2026-03-05T10:00:00Z'), ip: '192.0.2.7' },
        { action: 'user.update', actorId: agentId, target: 'user:5', at: at('2026-03-05T23:30:00Z') },
        { action: 'user.disable', actorId: adminId, target: 'user:5', at: at('2026-03-07T08:00:00Z') },
        { action: 'user.update', actorId: adminId, target: 'user:51', at: at('2026-03-07T09:00:00Z') },
        {
          action: 'inbound.refused',
          target: '=HYPERLINK("http://example.test")',
          details: { raison: '=1+1' },
          at: at('2026-03-08T09:00:00Z'),
        },
      ]);
      admin = await new Visitor(portal.app).login('admin');
    });
    after(() => portal?.close());

    const page = async (search: string) => {
      const response = await admin.get(`/admin/journal?${search}`);
      assert.equal(response.statusCode, 200, search);
      return response.body;
    };

    test('by action: only that action, newest first, with its count', async () => {
      const html = await page('action=user.update');
      assert.deepEqual(listedTargets(html), ['Compte n° 51', 'Compte n° 5']);
      assert.match(html, /<strong>2 événements<\/strong>/);
      assert.match(html, /<option value="user.update" selected>Compte modifié<\/option>/);
    });

    test('by person: identifiant, name or e-mail of who acted', async () => {
      for (const who of ['agent', 'lambert', 'Sophie Lambert', 'LAMBERT sophie', 'lambért']) {
        const html = await page(`personne=${encodeURIComponent(who)}&objet=user`);
        assert.deepEqual(listedTargets(html), ['Compte n° 5'], who);
        assert.match(html, /Sophie LAMBERT \(agent\)/);
      }
      assert.match(await page('personne=personne-inconnue'), /Aucun événement ne correspond à ces critères/);
    });

    test('by object: one object, or every object of a type', async () => {
      assert.deepEqual(listedTargets(await page('objet=user&identifiant=5')), ['Compte n° 5', 'Compte n° 5']);
      assert.deepEqual(listedTargets(await page('objet=user')), ['Compte n° 51', 'Compte n° 5', 'Compte n° 5']);
    });

    test('by period: Paris days, the last one included', async () => {
      const html = await page('du=05/03/2026&au=05/03/2026');
      assert.match(html, /<td>Paramètres modifiés<\/td>/);
      assert.doesNotMatch(html, /Compte n° 5</, '00:30 on the 6th in Paris is not the 5th');
      assert.deepEqual(listedTargets(await page('du=2026-03-06&au=2026-03-06')), ['Compte n° 5']);
      assert.match(await page('du=05/03/2026'), /value="05\/03\/2026"|value="2026-03-05"/);
    });

    test('filters together narrow each other', async () => {
      assert.deepEqual(listedTargets(await page('personne=admin&action=user.update&du=07/03/2026')), ['Compte n° 51']);
      assert.deepEqual(listedTargets(await page('personne=agent&action=user.update&au=04/03/2026')), []);
    });

    test('pages: every matching entry once, newest first, the filters kept in the next link', async () => {
      const first = await page('action=template.update');
      const next = /href="(\/admin\/journal\?[^"]*avant=[\w-]+)"/.exec(first)?.[1]?.replaceAll('&amp;', '&');
      assert.ok(next?.includes('action=template.update'), 'the next page keeps the filter');
      const second = await page(next?.split('?')[1] ?? '');
      assert.doesNotMatch(second, /Événements plus anciens/);
      const names = [...listedTargets(first), ...listedTargets(second)];
      const expected = Array.from(
        { length: TEMPLATE_EDITS },
        (_, i) => `Modèle de courriel « modele_${String(TEMPLATE_EDITS - 1 - i).padStart(3, '0')} »`,
      );
      assert.deepEqual(names, expected);
    });

    test('a mistyped date: 422, the French message next to its field, what was typed kept', async () => {
      const response = await admin.get('/admin/journal?personne=agent&du=31%2F02%2F2026&au=hier');
      assert.equal(response.statusCode, 422);
      const html = response.body;
      assert.match(
        html,
        /id="du-messages"[^>]*>\s*<p class="fr-message fr-message--error">Saisissez une date valide, au format jj\/mm\/aaaa\.<\/p>/,
      );
      assert.match(html, /id="au-messages"[^>]*>\s*<p class="fr-message fr-message--error">Saisissez une date valide/);
      assert.match(html, /value="31\/02\/2026"/);
      assert.match(html, /value="hier"/);
      assert.match(html, /name="personne" value="agent"/);
      assert.match(html, /Le formulaire contient 2 erreurs/);
      const reversed = await admin.get('/admin/journal?du=07/03/2026&au=05/03/2026');
      assert.equal(reversed.statusCode, 422);
      assert.match(reversed.body, /La date de fin doit être le même jour que la date de début ou après/);
    });

    test('the CSV: the filtered rows only, French columns, formulas neutralised', async () => {
      const html = await page('action=user.update');
      assert.ok(html.includes('href="/admin/journal/export.csv?action=user.update"'), 'the link keeps the filters');
      const response = await admin.get('/admin/journal/export.csv?action=user.update');
      assert.equal(response.statusCode, 200);
      assert.equal(response.headers['content-type'], 'text/csv; charset=utf-8');
      assert.match(
        String(response.headers['content-disposition']),
        /^attachment; filename="journal-audit-\d{4}-\d{2}-\d{2}\.csv"$/,
      );
      const lines = response.rawPayload
        .toString('utf8')
        .replace(/^\uFEFF/, '')
        .trimEnd()
        .split('\r\n');
      assert.deepEqual(lines, [
        'Date;Personne;Action;Objet;Adresse IP;Détails',
        '07/03/2026 10:00;Nadia BENALI (admin);Compte modifié;Compte n° 51;;',
        '06/03/2026 00:30;Sophie LAMBERT (agent);Compte modifié;Compte n° 5;;',
      ]);
      const refused = (await admin.get('/admin/journal/export.csv?action=inbound.refused')).rawPayload.toString('utf8');
      assert.ok(refused.includes(`;"'=HYPERLINK(""http://example.test"")";`), refused);
      assert.ok(refused.includes('"{""raison"":""=1+1""}"'), refused);
      const all = (await admin.get('/admin/journal/export.csv?du=10/02/2026&au=10/02/2026')).rawPayload.toString('utf8');
      assert.equal(all.trimEnd().split('\r\n').length, TEMPLATE_EDITS + 1, 'every page of the list, not the first only');
    });

    test('only administrators reach the page and the file', async () => {
      for (const login of ['agent', 'demandeur', 'pilote']) {
        const visitor = await new Visitor(portal.app).login(login);
        assert.equal((await visitor.get('/admin/journal?action=user.update')).statusCode, 403, login);
        assert.equal((await visitor.get('/admin/journal/export.csv')).statusCode, 403, login);
      }
      const anonymous = await new Visitor(portal.app).get('/admin/journal/export.csv');
      assert.ok([302, 303].includes(anonymous.statusCode), `anonymous: ${anonymous.statusCode}`);
    });
  });
}
