/**
 * The SQL visibility filter of the lists (policy.ts `visibleTo`) agrees with policy.canSee
 * for every demo actor and a few more, over requests at both levels, of several applications
 * and owners.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { transaction } from '../src/db/client.js';
import type { Actor } from '../src/domain/actor.js';
import { TransitionError } from '../src/domain/errors.js';
import { fileRequest } from '../src/domain/requests/commands/file-request.js';
import { listRequests } from '../src/domain/requests/list-queries.js';
import { canSee, type RequestAccess } from '../src/domain/requests/policy.js';
import { getRequestView } from '../src/domain/requests/queries.js';
import { clearSettingsCache } from '../src/domain/settings/settings.js';
import { newFormToken } from '../src/web/shared/form-token.js';
import { actAs, actorOf, applicationId, createUser, fileAs, footprint, rows } from './support/factories.js';
import { createTestPortal, DATABASE_KINDS, type TestPortal } from './support/portal.js';

type Row = RequestAccess & { number: number };

for (const kind of DATABASE_KINDS) {
  describe(`list visibility agrees with canSee (${kind})`, () => {
    let portal: TestPortal;
    let actors: Actor[];
    let all: Row[];

    before(async () => {
      portal = await createTestPortal(kind);
      const db = portal.database.db;
      // Requests of two requesters, on covered and uncovered applications, at both levels and in several states.
      const a = await fileAs(portal, 'demandeur', { app: 'CERES' });
      const b = await fileAs(portal, 'demandeur', { app: 'CERES' });
      const c = await fileAs(portal, 'direccte', { app: 'PORTAIL_ALTERNANCE' });
      const d = await fileAs(portal, 'direccte', { app: 'DCCP_EXTRAPRO' });
      const e = await fileAs(portal, 'direccte', { app: 'DCCP_EXTRAPRO' });
      const f = await fileAs(portal, 'demandeur', { app: 'ARIANE' });
      await actAs(portal, 'agent', b, 'escalate', { message: 'Pour le niveau 2.' });
      await actAs(portal, 'agent', c, 'take');
      await actAs(portal, 'agent', c, 'escalate', { message: 'Pour le niveau 2.' });
      await actAs(portal, 'admin', e, 'escalate', { message: 'Pour le niveau 2.' });
      await actAs(portal, 'agent', a, 'resolve', { message: 'Voici la réponse.' });
      await actAs(portal, 'demandeur', a, 'accept');
      await actAs(portal, 'agent', f, 'ask_info', { message: 'Précisez.' });
      void d;
      // Two requests filed in one transaction share their timestamps: keyset pages must still hold both.
      const direccte = await actorOf(db, 'direccte');
      const input = {
        subject: 'Deux demandes',
        blocking: false,
        applicationId: await applicationId(db, 'CERES'),
        themeId: null,
        problemTypeId: null,
        businessReference: null,
        description: 'Déposées dans la même transaction.',
      };
      await transaction(db, async (tx) => {
        for (const token of [newFormToken(), newFormToken()]) {
          await fileRequest(tx, direccte, input, { publicUrl: 'http://localhost', submissionToken: token });
        }
      });
      actors = [
        ...(await Promise.all(['demandeur', 'direccte', 'agent', 'expert', 'admin'].map((l) => actorOf(db, l)))),
        await createUser(db, 'agent-sans-application', 'agent'),
        await createUser(db, 'agent-ariane', 'agent', ['ARIANE']),
        await createUser(db, 'expert-dccp', 'expert', ['DCCP_EXTRAPRO']),
        await createUser(db, 'expert-sans-application', 'expert'),
        await createUser(db, 'demandeur-sans-demande', 'requester', ['CERES']),
      ];
      all = (
        await rows<Record<string, unknown>>(
          db,
          sql`select number, application_id, level, requester_id, created_by_id, status, assignee_id from requests order by number`,
        )
      ).map((r) => ({
        number: Number(r.number),
        applicationId: Number(r.application_id),
        level: Number(r.level) as 1 | 2,
        requesterId: Number(r.requester_id),
        createdById: Number(r.created_by_id),
        status: r.status as Row['status'],
        assigneeId: r.assignee_id === null ? null : Number(r.assignee_id),
      }));
      assert.equal(all.length, 8);
      assert.deepEqual([...new Set(all.map((r) => r.level))].sort(), [1, 2]);
    });
    after(() => portal?.close());

    const visibleNumbers = (actor: Actor) =>
      all
        .filter((r) => canSee(actor, r))
        .map((r) => r.number)
        .sort();

    test('each actor’s list holds exactly the requests canSee allows', async () => {
      const db = portal.database.db;
      for (const actor of actors) {
        const page = await listRequests(db, actor, {}, { limit: 100 });
        assert.deepEqual(page.rows.map((r) => r.number).sort(), visibleNumbers(actor), actor.login);
      }
    });

    test('the lists are not trivially empty or full', () => {
      const sizes = Object.fromEntries(actors.map((a) => [a.login, visibleNumbers(a).length]));
      assert.deepEqual(sizes, {
        demandeur: 3,
        direccte: 5,
        agent: 8,
        expert: 2,
        admin: 8,
        'agent-sans-application': 0,
        'agent-ariane': 1,
        'expert-dccp': 1,
        'expert-sans-application': 0,
        'demandeur-sans-demande': 0,
      });
    });

    test('filters narrow the visible set, never widen it', async () => {
      const db = portal.database.db;
      for (const actor of actors) {
        const visible = new Set(visibleNumbers(actor));
        for (const filters of [{ level: 2 as const }, { status: 'new' as const }, { assignee: 'none' as const }]) {
          const page = await listRequests(db, actor, filters, { limit: 100 });
          for (const r of page.rows) assert.ok(visible.has(r.number), `${actor.login} ${JSON.stringify(filters)} ${r.number}`);
        }
      }
    });

    test('“mine” lists what the person filed, for requesters as for staff', async () => {
      const db = portal.database.db;
      for (const actor of actors) {
        const page = await listRequests(db, actor, {}, { limit: 100, mine: true });
        const want = all
          .filter((r) => r.requesterId === actor.id || r.createdById === actor.id)
          .map((r) => r.number)
          .sort();
        assert.deepEqual(page.rows.map((r) => r.number).sort(), want, actor.login);
      }
    });

    test('keyset pages of one hold the same requests as one page', async () => {
      const db = portal.database.db;
      for (const actor of actors) {
        const seen: number[] = [];
        let cursor: string | undefined;
        for (let i = 0; i < 20; i++) {
          const page = await listRequests(db, actor, {}, { limit: 1, cursor });
          seen.push(...page.rows.map((r) => r.number));
          if (!page.next) break;
          cursor = page.next;
        }
        assert.deepEqual(seen.sort(), visibleNumbers(actor), actor.login);
      }
    });

    test('the request page agrees too (getRequestView)', async () => {
      const db = portal.database.db;
      for (const actor of actors) {
        for (const r of all) {
          const view = await getRequestView(db, actor, r.number);
          assert.equal(view !== null, canSee(actor, r), `${actor.login} → ${r.number}`);
        }
      }
    });
  });
}

/** Sets one setting as an administrator would, and drops the cached copy. */
async function setSetting(db: TestPortal['database']['db'], key: string, value: unknown) {
  await db.execute(
    sql`insert into settings (key, value) values (${key}, ${JSON.stringify(value)}::jsonb)
        on conflict (key) do update set value = excluded.value`,
  );
  clearSettingsCache(db);
}

for (const kind of DATABASE_KINDS) {
  describe(`sharing within a structure: lists agree with canSee, setting off and on (${kind})`, () => {
    let portal: TestPortal;
    let actors: Actor[];
    let all: Row[];
    let centreRequest: number;

    before(async () => {
      portal = await createTestPortal(kind);
      const db = portal.database.db;
      const colleague = await createUser(db, 'collegue', 'requester', ['CERES']);
      await db.execute(
        sql`update users set structure_id = (select structure_id from users where login = 'demandeur') where id = ${colleague.id}`,
      );
      centreRequest = await fileAs(portal, 'demandeur', { app: 'CERES' });
      await fileAs(portal, 'demandeur', { app: 'ARIANE' });
      await fileAs(portal, 'collegue', { app: 'CERES' });
      await fileAs(portal, 'direccte', { app: 'CERES' });
      await actAs(portal, 'agent', centreRequest, 'resolve', { message: 'Voici la réponse.' });
      actors = await Promise.all(['demandeur', 'collegue', 'direccte', 'agent', 'expert', 'admin'].map((l) => actorOf(db, l)));
      all = (
        await rows<Record<string, unknown>>(
          db,
          sql`select number, application_id, level, requester_id, created_by_id, structure_id, status, assignee_id
              from requests order by number`,
        )
      ).map((r) => ({
        number: Number(r.number),
        applicationId: Number(r.application_id),
        level: Number(r.level) as 1 | 2,
        requesterId: Number(r.requester_id),
        createdById: Number(r.created_by_id),
        structureId: r.structure_id === null ? null : Number(r.structure_id),
        status: r.status as Row['status'],
        assigneeId: r.assignee_id === null ? null : Number(r.assignee_id),
      }));
    });
    after(() => portal?.close());

    const visible = (actor: Actor, shareWithinStructure: boolean) =>
      all
        .filter((r) => canSee(actor, r, { shareWithinStructure }))
        .map((r) => r.number)
        .sort();

    for (const shareWithinStructure of [false, true]) {
      test(`setting ${shareWithinStructure ? 'on' : 'off'}: lists, keyset pages and request pages agree with canSee`, async () => {
        const db = portal.database.db;
        await setSetting(db, 'shareWithinStructure', shareWithinStructure);
        for (const actor of actors) {
          const want = visible(actor, shareWithinStructure);
          const page = await listRequests(db, actor, {}, { limit: 100 });
          assert.deepEqual(page.rows.map((r) => r.number).sort(), want, actor.login);
          const seen: number[] = [];
          let cursor: string | undefined;
          do {
            const one = await listRequests(db, actor, {}, { limit: 1, cursor });
            seen.push(...one.rows.map((r) => r.number));
            cursor = one.next ?? undefined;
          } while (cursor);
          assert.deepEqual(seen.sort(), want, `${actor.login} (pages of one)`);
          for (const r of all) {
            assert.equal(
              (await getRequestView(db, actor, r.number)) !== null,
              want.includes(r.number),
              `${actor.login} → ${r.number}`,
            );
          }
        }
      });
    }

    test('the option widens only the colleagues’ view: who sees how many', () => {
      const sizes = (on: boolean) => Object.fromEntries(actors.map((a) => [a.login, visible(a, on).length]));
      assert.deepEqual(sizes(false), { demandeur: 2, collegue: 1, direccte: 1, agent: 4, expert: 0, admin: 4 });
      assert.deepEqual(sizes(true), { demandeur: 3, collegue: 3, direccte: 1, agent: 4, expert: 0, admin: 4 });
    });

    test('setting on: the colleague reads the request but cannot act on it, nor see internal notes', async () => {
      const db = portal.database.db;
      await setSetting(db, 'shareWithinStructure', true);
      await actAs(portal, 'agent', centreRequest, 'internal_note', { message: 'Note réservée au support.' });
      const colleague = await actorOf(db, 'collegue');
      const view = await getRequestView(db, colleague, centreRequest);
      assert.ok(view);
      assert.deepEqual(view.actions, []);
      assert.ok(!view.events.some((e) => e.internal || e.body === 'Note réservée au support.'));
      const before = await footprint(db, centreRequest);
      for (const action of ['add_info', 'accept', 'refuse'] as const) {
        // They see it, so the refusal is a forbidden transition (a clear « action impossible »), not a 404.
        await assert.rejects(
          actAs(portal, 'collegue', centreRequest, action, { message: 'Je réponds à sa place.' }),
          (e) => e instanceof TransitionError,
        );
      }
      assert.deepEqual(await footprint(db, centreRequest), before);
      const owner = await getRequestView(db, await actorOf(db, 'demandeur'), centreRequest);
      assert.deepEqual(owner?.actions, ['accept', 'refuse']);
      assert.equal(owner?.status, 'resolved');
    });
  });
}
