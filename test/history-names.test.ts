/**
 * Who a requester reads in the history for the desk's steps: « l’assistance » by default, as the
 * guide's « le support », another name or each agent's name as the setting says. The desk always
 * reads the agent's name; the requester's own steps keep theirs.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ValidationError } from '../src/domain/errors.js';
import { updateSettings } from '../src/domain/settings/settings.js';
import { actAs, actorOf, fileAs } from './support/factories.js';
import { Visitor } from './support/http.js';
import { createTestPortal, DATABASE_KINDS, type TestPortal } from './support/portal.js';

const authors = (html: string) => [...html.matchAll(/(?:Créée|Mis à jour) par <strong>([^<]*)<\/strong>/g)].map((m) => m[1]);

for (const kind of DATABASE_KINDS) {
  describe(`names in the history (${kind})`, () => {
    let portal: TestPortal;
    let number: number;
    let requester: Visitor;
    let agent: Visitor;
    let adminId: number;

    before(async () => {
      portal = await createTestPortal(kind);
      number = await fileAs(portal, 'demandeur');
      await actAs(portal, 'agent', number, 'take');
      await actAs(portal, 'agent', number, 'ask_info', { message: 'Quelle session ?' });
      await actAs(portal, 'demandeur', number, 'add_info', { message: 'La 2019-014.' });
      requester = await new Visitor(portal.app).login('demandeur');
      agent = await new Visitor(portal.app).login('agent');
      adminId = (await actorOf(portal.database.db, 'admin')).id;
    });
    after(() => portal?.close());

    const save = (value: string) =>
      updateSettings(portal.database.db, { staffNameInHistory: value }, { actorId: adminId, ip: '127.0.0.1' });

    test('by default the requester reads « l’assistance » for the desk, their own name for theirs', async () => {
      const [created, taken, asked, added] = authors((await requester.get(`/demandes/${number}`)).body);
      assert.match(created ?? '', /^Hélène RIVIÈRE/);
      assert.deepEqual([taken, asked], ['l’assistance', 'l’assistance']);
      assert.match(added ?? '', /^Hélène RIVIÈRE/);
    });

    test('the desk reads the agent’s name', async () => {
      assert.deepEqual(authors((await agent.get(`/demandes/${number}`)).body).slice(1, 3), ['Sophie LAMBERT', 'Sophie LAMBERT']);
    });

    test('another name, or none for each agent’s name', async () => {
      await save('le support Agadir');
      assert.equal(authors((await requester.get(`/demandes/${number}`)).body)[1], 'le support Agadir');
      await save('');
      assert.equal(authors((await requester.get(`/demandes/${number}`)).body)[1], 'Sophie LAMBERT');
    });

    test('a name over 60 characters is refused, with the message for its field', async () => {
      await assert.rejects(save('x'.repeat(61)), (error: unknown) => {
        assert.ok(error instanceof ValidationError);
        assert.equal(error.fields.staffNameInHistory, '60 caractères au plus.');
        return true;
      });
    });
  });
}
