/**
 * « Pilotage » on both databases, on a small history written with the portal's clock set: a
 * weekend, a public holiday (Wednesday 11 November 2026), a complement that pauses the clock, an
 * escalation sent back, an answer refused then given again (a reopening), an automatic closing.
 * Every figure is compared with the value worked out by hand below; the facts after a rebuild
 * equal the facts kept incrementally.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { and, count, eq, sql } from 'drizzle-orm';
import { transaction } from '../src/db/client.js';
import { requests } from '../src/db/schema.js';
import { setClock } from '../src/domain/clock.js';
import { backlogToday, breakdownsOf, satisfactionOf, seriesOf, summaryOf } from '../src/domain/pilotage/figures.js';
import { type Filters, readFilters } from '../src/domain/pilotage/filters.js';
import { rebuildFacts, refreshAllFacts } from '../src/domain/pilotage/refresh.js';
import { getReferentials } from '../src/domain/referentials/referentials.js';
import { recordSatisfaction } from '../src/domain/requests/commands/satisfaction.js';
import { dueCondition } from '../src/domain/requests/service-level.js';
import { getSettings } from '../src/domain/settings/settings.js';
import { runAutoClose } from '../src/jobs/auto-close.js';
import { sendPilotageSummaries } from '../src/jobs/pilotage-summary.js';
import { actAs, actorOf, applicationId, createUser, fileAs, rows } from './support/factories.js';
import { Visitor } from './support/http.js';
import { createTestPortal, DATABASE_KINDS, type TestPortal } from './support/portal.js';

/** Paris time in November (UTC+1). */
const paris = (day: string, time: string) => new Date(`2026-11-${day}T${time}:00+01:00`);

for (const kind of DATABASE_KINDS) {
  describe(`pilotage figures (${kind})`, () => {
    let portal: TestPortal;
    const n: Record<string, number> = {};

    const at = async <T>(when: Date, work: () => Promise<T>) => {
      setClock(when);
      return work();
    };

    before(async () => {
      portal = await createTestPortal(kind);
      const db = portal.database.db;
      await createUser(db, 'pilote-ceres', 'pilot', ['CERES']);
      // R1: Friday 17:00; first answer Monday 11:00 (a complement asked), the complement comes Thursday
      // 10:00 (Wednesday is a holiday), answered Thursday 15:00, refused Friday 9:30, answered again Friday 11:00, accepted.
      n.r1 = await at(paris('06', '17:00'), () => fileAs(portal, 'demandeur', { subject: 'Agrément introuvable' }));
      await at(paris('09', '10:00'), () => actAs(portal, 'agent', n.r1 as number, 'take'));
      await at(paris('09', '11:00'), () => actAs(portal, 'agent', n.r1 as number, 'ask_info', { message: 'Quel numéro ?' }));
      await at(paris('12', '10:00'), () => actAs(portal, 'demandeur', n.r1 as number, 'add_info', { message: 'Le 42.' }));
      await at(paris('12', '15:00'), () => actAs(portal, 'agent', n.r1 as number, 'resolve', { message: 'Corrigé.' }));
      await at(paris('13', '09:30'), () => actAs(portal, 'demandeur', n.r1 as number, 'refuse', { message: 'Toujours absent.' }));
      await at(paris('13', '11:00'), () => actAs(portal, 'agent', n.r1 as number, 'resolve', { message: 'Corrigé, vraiment.' }));
      await at(paris('13', '12:00'), () => actAs(portal, 'demandeur', n.r1 as number, 'accept'));
      await at(paris('13', '12:05'), async () => {
        const actor = await actorOf(db, 'demandeur');
        await transaction(db, (tx) =>
          recordSatisfaction(tx, actor, n.r1 as number, { rating: '4', comment: 'Réponse claire, un peu lente.' }),
        );
      });
      // R2, blocking: Tuesday 9:00, escalated 10:00, sent back 14:00, answered 16:00.
      n.r2 = await at(paris('10', '09:00'), () => fileAs(portal, 'demandeur', { subject: 'BLOQUANT - base', blocking: true }));
      await at(paris('10', '10:00'), () => actAs(portal, 'agent', n.r2 as number, 'escalate', { message: 'Pour le niveau 2.' }));
      await at(paris('10', '14:00'), () => actAs(portal, 'expert', n.r2 as number, 'send_back', { message: 'Niveau 1.' }));
      await at(paris('10', '16:00'), () => actAs(portal, 'agent', n.r2 as number, 'resolve', { message: 'Fait.' }));
      // R3: Monday 2 November 9:00, answered at noon, closed automatically after the period.
      n.r3 = await at(paris('02', '09:00'), () => fileAs(portal, 'demandeur', { subject: 'Export vide' }));
      await at(paris('02', '12:00'), () => actAs(portal, 'agent', n.r3 as number, 'resolve', { message: 'Relancez.' }));
      // Reminded 8 working days after the answer (the holiday skipped), closed two working days later.
      await at(paris('16', '12:00'), () => runAutoClose(db, { publicUrl: 'http://localhost:3000' }));
      await at(paris('19', '12:00'), () => runAutoClose(db, { publicUrl: 'http://localhost:3000' }));
      // R4: another application, never counted for CERES.
      n.r4 = await at(paris('10', '09:00'), () =>
        fileAs(portal, 'demandeur', { subject: 'Connexion ARIANE refusée', app: 'ARIANE' }),
      );
      setClock(null);
      await refreshAllFacts(db);
    });
    after(() => portal?.close());
    afterEach(() => setClock(null));

    async function filtersFor(login: string, raw: Record<string, string>): Promise<Filters> {
      const db = portal.database.db;
      const result = readFilters(raw, await actorOf(db, login), await getReferentials(db), paris('20', '12:00'));
      if (!result.ok) throw new Error(JSON.stringify(result.errors));
      return result.filters;
    }

    const november = { periode: 'dates', du: '2026-11-02', au: '2026-11-15' };

    test('the summary of the period, worked out by hand', async () => {
      const db = portal.database.db;
      const filters = await filtersFor('pilote-ceres', november);
      const s = await summaryOf(db, filters, filters.period);
      assert.deepEqual(
        { filed: s.filed, treated: s.treated, closed: s.closed, blocking: s.blocking, escalated: s.escalated },
        { filed: 3, treated: 3, closed: 1, blocking: 1, escalated: 1 },
      );
      assert.deepEqual(
        { sentBack: s.sentBack, complement: s.complement, refusals: s.refusals, autoClosed: s.autoClosed, reopened: s.reopened },
        { sentBack: 1, complement: 1, refusals: 1, autoClosed: 1, reopened: 1 },
      );
      // First responses: R1 Fri 17–18 + Mon 9–11 = 180; R2 9:00–16:00 = 420; R3 9:00–12:00 = 180.
      assert.deepEqual(
        { ...s.firstResponse, onTime: undefined },
        { count: 3, median: 180, p90: 372, mean: 260, onTime: undefined },
      );
      // Resolutions: R1 Fri 60 + Mon 540 + Tue 540 + Wed 0 (holiday) + Thu 540 + Fri 120 = 1800, less the pause
      // Mon 11:00–Thu 10:00 (420 + 540 + 0 + 60 = 1020) = 780; R2 420; R3 180.
      assert.deepEqual({ ...s.resolution, onTime: undefined }, { count: 3, median: 420, p90: 708, mean: 460, onTime: undefined });
    });

    test('the previous period of the same length has nothing', async () => {
      const filters = await filtersFor('pilote-ceres', november);
      assert.equal(filters.previous.firstDay, '2026-10-19');
      assert.equal(filters.previous.lastDay, '2026-11-01');
      const s = await summaryOf(portal.database.db, filters, filters.previous);
      assert.equal(s.filed, 0);
      assert.equal(s.firstResponse.median, null);
    });

    test('filters: blocking only, and a region', async () => {
      const db = portal.database.db;
      const blocking = await summaryOf(
        db,
        await filtersFor('pilote-ceres', { ...november, bloquant: 'oui' }),
        (await filtersFor('pilote-ceres', november)).period,
      );
      assert.equal(blocking.filed, 1);
      assert.equal(blocking.resolution.median, 420);
      const refs = await getReferentials(db);
      const other = refs.regions.find((r) => r.name !== 'Occitanie');
      const elsewhere = await filtersFor('pilote-ceres', { ...november, region: String(other?.id) });
      assert.equal((await summaryOf(db, elsewhere, elsewhere.period)).filed, 0);
    });

    test('breakdowns, per day series, backlog and satisfaction', async () => {
      const db = portal.database.db;
      const filters = await filtersFor('pilote-ceres', november);
      const b = await breakdownsOf(db, filters);
      const ceres = await applicationId(db, 'CERES');
      assert.deepEqual(
        b.application.map((r) => [r.key, r.filed, r.blocking, r.resolution.median]),
        [[String(ceres), 3, 1, 420]],
      );
      assert.deepEqual(
        b.channel.map((r) => [r.key, r.filed]),
        [['portail', 3]],
      );
      const series = await seriesOf(db, filters);
      assert.equal(series.length, 14);
      const day = (d: string) => series.find((p) => p.start === `2026-11-${d}`);
      assert.deepEqual(day('02'), { start: '2026-11-02', filed: 1, treated: 1, closed: 0 });
      assert.deepEqual(day('13'), { start: '2026-11-13', filed: 0, treated: 1, closed: 1 });
      assert.deepEqual(day('10'), { start: '2026-11-10', filed: 1, treated: 1, closed: 0 });
      const today = await backlogToday(db, filters);
      // R2 is « Traitée », R1 and R3 closed.
      assert.deepEqual(today.backlog, { new: 0, in_progress: 0, awaiting_info: 0, resolved: 1 });
      const satisfaction = await satisfactionOf(db, filters);
      assert.deepEqual(satisfaction.distribution, [0, 0, 0, 1, 0]);
      assert.equal(satisfaction.mean, 4);
      assert.deepEqual(
        satisfaction.comments.map((c) => c.comment),
        ['Réponse claire, un peu lente.'],
      );
    });

    test('a rebuild gives the same facts as the incremental updates', async () => {
      const db = portal.database.db;
      const snapshot = () =>
        rows(db, sql`select * from request_facts order by request_id`).then((r) => r.map(({ computed_at, ...rest }) => rest));
      const spans = () => rows(db, sql`select request_id, status, span::text from request_status_spans order by 1, 3`);
      const before = [await snapshot(), await spans()];
      await rebuildFacts(db);
      assert.deepEqual([await snapshot(), await spans()], before);
      assert.equal((await snapshot()).length, 4);
    });

    /** Words of the requests' content and of their people: none may reach a pilote. */
    const PRIVATE = [
      'Agrément introuvable',
      'BLOQUANT - base',
      'Export vide',
      'Quel numéro',
      'Le 42.',
      'Corrigé',
      'Rivière',
      'Hélène',
      'ARIANE refusée',
    ];
    const novemberQuery = '?periode=dates&du=2026-11-02&au=2026-11-15';

    test('a pilote reads the figures, their report and exports, and nothing of the requests', async () => {
      const pilot = new Visitor(portal.app);
      await pilot.login('pilote-ceres');
      const home = await pilot.get('/');
      assert.equal(home.statusCode, 303);
      assert.equal(home.headers.location, '/pilotage');
      const page = await pilot.get(`/pilotage${novemberQuery}`);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /<h1>Pilotage<\/h1>/);
      assert.match(page.body, /CERES du 02\/11\/2026 au 15\/11\/2026/);
      assert.match(
        page.body,
        /<th scope="row">Demandes déposées<\/th><td class="guichet-number">3<\/td><td class="guichet-number">0<\/td>/,
      );
      assert.match(page.body, /Réponse claire, un peu lente\./, 'the survey comments are shown, without names');
      assert.doesNotMatch(page.body, /Activité du guichet par gestionnaire/);
      const report = await pilot.get(`/pilotage/rapport${novemberQuery}`);
      assert.equal(report.statusCode, 200);
      assert.match(report.body, /Rapport de retour d’expérience — CERES — du 02\/11\/2026 au 15\/11\/2026/);
      const csv = await pilot.get(`/pilotage/export.csv${novemberQuery}&tableau=tous`);
      assert.equal(csv.statusCode, 200);
      assert.match(String(csv.headers['content-type']), /text\/csv/);
      assert.ok(csv.body.startsWith('\uFEFF'));
      assert.match(csv.body, /Demandes déposées;3;0/);
      const ods = await pilot.get(`/pilotage/export.ods${novemberQuery}`);
      assert.equal(ods.statusCode, 200);
      assert.match(String(ods.headers['content-type']), /opendocument\.spreadsheet/);
      for (const body of [page.body, report.body, csv.body])
        for (const word of PRIVATE) assert.ok(!body.includes(word), `« ${word} » shown to a pilote`);
      for (const url of [`/demandes/${n.r1}`, '/guichet', '/demandes', '/admin'])
        assert.ok([403, 404].includes((await pilot.get(url)).statusCode), `${url} open to a pilote`);
    });

    test('bad filters: a French message next to the field, never a 500', async () => {
      const pilot = new Visitor(portal.app);
      await pilot.login('pilote-ceres');
      const ariane = await applicationId(portal.database.db, 'ARIANE');
      const cases: [string, RegExp][] = [
        ['?periode=dates&du=2026-11-15&au=2026-11-02', /La date de fin doit être/],
        ['?periode=dates&du=2000-01-01&au=2020-12-31', /dix ans/],
        ['?application=987654', /Choisissez une application de la liste/],
        [`?application=${ariane}`, /ne vous est pas ouverte/],
        ['?periode=siecle', /Choisissez une période de la liste/],
      ];
      for (const [q, message] of cases) {
        const page = await pilot.get(`/pilotage${q}`);
        assert.equal(page.statusCode, 400, q);
        assert.match(page.body, message, q);
        assert.match(page.body, /<title>Erreur – Pilotage/);
        const csv = await pilot.get(`/pilotage/export.csv${q}`);
        assert.equal(csv.statusCode, 303, q);
      }
    });

    test('the desk per agent: administrators and the desk’s lead only', async () => {
      const admin = new Visitor(portal.app);
      await admin.login('admin');
      const page = await admin.get(`/pilotage${novemberQuery}`);
      assert.match(page.body, /Activité du guichet par gestionnaire et par niveau/);
      assert.match(page.body, /Sophie Lambert/);
      await portal.database.db.execute(sql`update users set desk_lead = true where login = 'pilote-ceres'`);
      const lead = new Visitor(portal.app);
      await lead.login('pilote-ceres');
      assert.match((await lead.get(`/pilotage${novemberQuery}`)).body, /Activité du guichet par gestionnaire/);
      await portal.database.db.execute(sql`update users set desk_lead = false where login = 'pilote-ceres'`);
      const requester = new Visitor(portal.app);
      await requester.login('demandeur');
      assert.equal((await requester.get('/pilotage')).statusCode, 403);
      assert.equal((await new Visitor(portal.app).get('/pilotage')).statusCode, 303);
    });

    test('the weekly summary: once a week, to the pilotes who asked for it, with the week’s figures', async () => {
      const db = portal.database.db;
      await db.execute(
        sql`update users set pilotage_summary = true, pilotage_summary_sent_at = null where login = 'pilote-ceres'`,
      );
      const context = { publicUrl: 'http://localhost:3000' };
      assert.equal(await sendPilotageSummaries(db, context, paris('16', '07:30')), 0, 'not before 8:00 on Monday');
      assert.equal(await sendPilotageSummaries(db, context, paris('16', '09:00')), 1);
      assert.equal(await sendPilotageSummaries(db, context, paris('17', '09:00')), 0, 'once a week');
      const [mail] = await rows<{ subject: string; body: string; to_address: string }>(
        db,
        sql`select subject, body, to_address from outbox where kind = 'pilotage_summary'`,
      );
      assert.equal(mail?.to_address, 'pilote-ceres@test.localhost');
      assert.equal(mail?.subject, 'Pilotage – CERES – semaine du 09/11/2026');
      // The week of 9 November: R2 filed (R1 and R3 the week before); R1 and R2 treated (R3 the week before).
      assert.match(mail?.body ?? '', /- Demandes déposées : 1 \(2\)/);
      assert.match(mail?.body ?? '', /- Demandes traitées : 2 \(1\)/);
      assert.match(mail?.body ?? '', /pilotage\?periode=dates&du=2026-11-09&au=2026-11-15/);
      for (const word of PRIVATE) assert.ok(!mail?.body.includes(word), word);
    });

    test('the filters refuse what is wrong, in French', async () => {
      const db = portal.database.db;
      const pilot = await actorOf(db, 'pilote-ceres');
      const refs = await getReferentials(db);
      const ariane = String(await applicationId(db, 'ARIANE'));
      const read = (raw: Record<string, string>) => readFilters(raw, pilot, refs, paris('20', '12:00'));
      const errors = (raw: Record<string, string>) => {
        const r = read(raw);
        return r.ok ? {} : r.errors;
      };
      assert.match(errors({ periode: 'dates', du: '2026-11-15', au: '2026-11-02' }).au ?? '', /date de fin doit être/);
      assert.match(errors({ periode: 'dates', du: '2000-01-01', au: '2020-01-01' }).au ?? '', /dix ans/);
      assert.match(errors({ application: '999999' }).application ?? '', /Choisissez une application/);
      assert.match(errors({ application: ariane }).application ?? '', /ne vous est pas ouverte/);
      assert.match(errors({ periode: 'dates', du: '31/11/2026', au: '' }).du ?? '', /jj\/mm\/aaaa/);
      assert.match(errors({ bloquant: 'peut-être' }).bloquant ?? '', /bloquant/);
      const ok = read({ periode: 'ouverture' });
      assert.ok(ok.ok && ok.filters.period.firstDay === '2019-01-24');
    });

    // Last: it files more requests.
    test('late and soon late today: the desk queue’s rule, from the facts', async () => {
      const db = portal.database.db;
      // Late: normal, filed Monday 23 9:00, its first response due that day at 18:00.
      await at(paris('23', '09:00'), () => fileAs(portal, 'demandeur', { subject: 'En retard' }));
      // Soon late: blocking, filed Tuesday 24 9:00, first response due 13:00, 45 minutes left at 12:15.
      await at(paris('24', '09:00'), () => fileAs(portal, 'demandeur', { subject: 'Bientôt', blocking: true }));
      // Past its resolution date (Friday 20) but waiting for a complement: suspended, neither.
      const waiting = await at(paris('19', '09:00'), () => fileAs(portal, 'demandeur', { subject: 'Attente', blocking: true }));
      await at(paris('19', '10:00'), () => actAs(portal, 'agent', waiting, 'ask_info', { message: 'Lequel ?' }));
      // On time: normal, filed Tuesday 24 9:00.
      await at(paris('24', '09:00'), () => fileAs(portal, 'demandeur', { subject: 'À l’heure' }));
      await refreshAllFacts(db);
      setClock(paris('24', '12:15'));
      const today = await backlogToday(db, await filtersFor('pilote-ceres', november));
      assert.deepEqual(
        { late: today.late, soon: today.soon, backlog: today.backlog },
        { late: 1, soon: 1, backlog: { new: 3, in_progress: 0, awaiting_info: 1, resolved: 1 } },
      );
      // The queue's filter, on the requests themselves, at the same instant.
      const settings = await getSettings(db);
      const ceres = await applicationId(db, 'CERES');
      const queue = async (state: 'late' | 'soon') =>
        (
          await db
            .select({ n: count() })
            .from(requests)
            .where(and(eq(requests.applicationId, ceres), dueCondition(state, settings)))
        )[0]?.n;
      assert.deepEqual([await queue('late'), await queue('soon')], [today.late, today.soon]);
    });
  });
}
