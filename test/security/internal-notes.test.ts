/**
 * Internal notes never reach requesters (information leaks through pages, downloads and
 * notifications): not their text, not their files, not the routing notes of an escalation.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { actionFields, fileAs, normalize, rows } from '../support/factories.js';
import { PNG, Visitor } from '../support/http.js';
import { createTestPortal, DATABASE_KINDS, type TestPortal } from '../support/portal.js';

const SECRETS = [
  'NOTE-AGENT-7f3a',
  'ESCALADE-9b21',
  'NOTE-EXPERT-c4d8',
  'RENVOI-5e6f',
  'note-interne-confidentielle.png',
  'piece-escalade-privee.png',
];

for (const kind of DATABASE_KINDS) {
  describe(`security: internal notes stay internal (${kind})`, () => {
    let portal: TestPortal;
    let number: number;
    let internalFileId: number;
    let escalationFileId: number;
    let publicFileId: number;
    let agent: Visitor;
    let expert: Visitor;
    let demandeur: Visitor;

    /** Sends an action form of the request page, as staff would, optionally with a file. */
    async function act(visitor: Visitor, action: string, message: string, file?: [string, Buffer]) {
      const form = actionFields((await visitor.get(`/demandes/${number}`)).body, action as never);
      const fields = { action, version: form.version, token: form.token, message };
      const response = file
        ? await visitor.postMultipart(`/demandes/${number}/actions`, { _csrf: form.csrf, ...fields }, [
            ['files', file[0], file[1]],
          ])
        : await visitor.post(`/demandes/${number}/actions`, { ...fields, _csrf: form.csrf });
      assert.equal(response.statusCode, 303, `${action}: ${response.body.slice(0, 300)}`);
    }

    before(async () => {
      portal = await createTestPortal(kind);
      agent = await new Visitor(portal.app).login('agent');
      expert = await new Visitor(portal.app).login('expert');
      demandeur = await new Visitor(portal.app).login('demandeur');
      number = await fileAs(portal, 'demandeur', { subject: 'Export des sessions' });
      await act(agent, 'take', '');
      await act(agent, 'internal_note', 'NOTE-AGENT-7f3a : le client a déjà appelé trois fois.', [
        'note-interne-confidentielle.png',
        PNG,
      ]);
      // The escalation form offers no file, but one sent anyway goes with the internal note.
      await act(agent, 'escalate', 'ESCALADE-9b21 : bug probable dans l’export.', ['piece-escalade-privee.png', PNG]);
      await act(expert, 'internal_note', 'NOTE-EXPERT-c4d8 : corrigé en préproduction.');
      await act(expert, 'send_back', 'RENVOI-5e6f : à toi de répondre.');
      await act(agent, 'ask_info', 'Pouvez-vous préciser la date de la session ?');
      await act(agent, 'resolve', 'Le correctif est en place, merci de réessayer.', ['reponse-publique.png', PNG]);
      const files = await rows<{ id: string; original_name: string }>(
        portal.database.db,
        sql`select id, original_name from attachments order by id`,
      );
      internalFileId = Number(files.find((f) => f.original_name === 'note-interne-confidentielle.png')?.id);
      escalationFileId = Number(files.find((f) => f.original_name === 'piece-escalade-privee.png')?.id);
      publicFileId = Number(files.find((f) => f.original_name === 'reponse-publique.png')?.id);
      assert.ok(internalFileId && publicFileId);
    });
    after(() => portal?.close());

    test('staff see every note and file', async () => {
      const page = await agent.get(`/demandes/${number}`);
      for (const secret of SECRETS) assert.match(page.body, new RegExp(secret.replace('.', '\\.')), secret);
      assert.equal((await agent.get(`/pieces-jointes/${internalFileId}`)).statusCode, 200);
    });

    test('the requester’s page shows the answer, and none of the notes or their files', async () => {
      const page = await demandeur.get(`/demandes/${number}`);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Le correctif est en place/);
      assert.match(page.body, /reponse-publique\.png/);
      for (const secret of SECRETS) assert.ok(!page.body.includes(secret), `${secret} leaked in the page`);
      assert.doesNotMatch(page.body, new RegExp(`/pieces-jointes/${internalFileId}"`));
      assert.doesNotMatch(page.body, /Note interne/);
    });

    test('the requester’s lists and home page show none of the notes', async () => {
      for (const url of ['/', '/demandes']) {
        const page = await demandeur.get(url);
        for (const secret of SECRETS) assert.ok(!page.body.includes(secret), `${secret} leaked in ${url}`);
      }
    });

    test('downloading the internal note’s file answers the 404 of a missing file', async () => {
      const internal = await demandeur.get(`/pieces-jointes/${internalFileId}`);
      const missing = await demandeur.get('/pieces-jointes/99999999');
      assert.equal(internal.statusCode, 404);
      assert.equal(
        normalize(internal.body, `/pieces-jointes/${internalFileId}`),
        normalize(missing.body, '/pieces-jointes/99999999'),
      );
      assert.equal((await demandeur.get(`/pieces-jointes/${escalationFileId}`)).statusCode, 404);
      assert.equal((await agent.get(`/pieces-jointes/${escalationFileId}`)).statusCode, 200);
      assert.equal((await demandeur.get(`/pieces-jointes/${publicFileId}`)).statusCode, 200);
    });

    test('no e-mail carries a note or an internal file name', async () => {
      // Every mail, staff's included (new request, escalation), is checked.
      const mails = await rows<{ kind: string; to_address: string; subject: string; body: string }>(
        portal.database.db,
        sql`select kind, to_address, subject, body from outbox order by id`,
      );
      const requesters = mails.filter((m) => m.to_address === 'demandeur@demo.assistance.localhost');
      assert.deepEqual(
        requesters.map((m) => m.kind),
        ['receipt', 'complement_asked', 'answered'],
      );
      for (const mail of mails) {
        for (const secret of SECRETS) assert.ok(!`${mail.subject}\n${mail.body}`.includes(secret), `${secret} in ${mail.kind}`);
      }
      assert.match(requesters[2]?.body ?? '', /reponse-publique\.png/);
    });
  });
}
