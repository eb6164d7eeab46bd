/**
 * Nobody fills the disk with forms that will never be recorded: files are stored only for an
 * action the person may take now, a person's staged files (sent with forms not yet recorded)
 * stay within an allowance, and the files of an abandoned form are removed.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { runMaintenance } from '../../src/jobs/maintenance.js';
import { stagedAllowance } from '../../src/web/shared/multipart.js';
import { actionFields, count, fieldError, fileAs, readForm, rows, storedFiles } from '../support/factories.js';
import { PNG, Visitor } from '../support/http.js';
import { createTestPortal, DATABASE_KINDS, type TestPortal } from '../support/portal.js';

/** A PNG of about `kb` kilobytes (the signature, then padding). */
const png = (kb: number) => Buffer.concat([PNG, Buffer.alloc(kb * 1024 - PNG.length, 1)]);

for (const kind of DATABASE_KINDS) {
  describe(`security: staged files (${kind})`, () => {
    let portal: TestPortal;
    let demandeur: Visitor;
    const staged = () => count(portal.database.db, sql`select count(*) as n from attachments where request_id is null`);

    before(async () => {
      // 10 ko per file, 2 files per form: an allowance of two forms, 41 ko.
      portal = await createTestPortal(kind, { UPLOAD_MAX_FILE_MB: '0.01', UPLOAD_MAX_FILES: '2' });
      demandeur = await new Visitor(portal.app).login('demandeur');
    });
    after(() => portal?.close());

    test('an action missing, unknown, forbidden now or on a request one cannot see stores no file', async () => {
      const mine = await fileAs(portal, 'demandeur');
      const theirs = await fileAs(portal, 'direccte');
      const form = actionFields((await demandeur.get(`/demandes/${mine}`)).body, 'add_info');
      const files: [string, string, Buffer][] = [
        ['files', 'a.png', PNG],
        ['files', 'b.png', PNG],
      ];
      const before = storedFiles(portal);
      const post = (number: number, fields: Record<string, string>) =>
        demandeur.postMultipart(`/demandes/${number}/actions`, { _csrf: form.csrf, ...fields, message: 'Capture' }, files);
      assert.equal((await post(mine, {})).statusCode, 404);
      assert.equal((await post(mine, { action: 'effacer' })).statusCode, 404);
      assert.equal((await post(mine, { action: 'auto_close' })).statusCode, 404);
      assert.equal((await post(theirs, { action: 'add_info', token: form.token })).statusCode, 404);
      const forbidden = await post(mine, { action: 'accept', token: form.token });
      assert.equal(forbidden.statusCode, 409);
      assert.match(forbidden.body, /n’est pas possible sur cette demande/);
      assert.deepEqual(storedFiles(portal), before, 'no file written');
      assert.equal(await staged(), 0);
    });

    test('refused forms sent again and again stay within the allowance; the next file is refused in French', async () => {
      const before = storedFiles(portal).length;
      let last = '';
      for (let i = 0; i < 6; i++) {
        // A fresh token each time: every refused form keeps its own files.
        const form = readForm((await demandeur.get('/demandes/nouvelle')).body);
        const response = await demandeur.postMultipart(
          '/demandes/nouvelle',
          { _csrf: form.csrf, token: form.token, subject: '' },
          [
            ['files', `a${i}.png`, png(9)],
            ['files', `b${i}.png`, png(9)],
          ],
        );
        assert.equal(response.statusCode, 422);
        last = fieldError(response.body, 'files');
      }
      assert.match(
        last,
        /n’a pas été joint : vos fichiers envoyés avec des formulaires non encore enregistrés atteignent 41 ko\. Enregistrez ou abandonnez ces formulaires/,
      );
      const bytes = await count(
        portal.database.db,
        sql`select coalesce(sum(size_bytes), 0) as n from attachments where request_id is null`,
      );
      assert.ok(bytes <= stagedAllowance(portal.config.upload), `${bytes} bytes staged`);
      assert.ok(storedFiles(portal).length - before <= 4, 'at most two forms’ worth on disk');
    });

    test('logging out abandons the forms left unsent: their files go, from the database and the disk', async () => {
      const person = await new Visitor(portal.app).login('demandeur');
      assert.ok((await staged()) > 0, 'the previous test left staged files');
      const token = await person.token('/');
      assert.equal((await person.post('/deconnexion', { _csrf: token })).statusCode, 303);
      assert.equal(await staged(), 0);
      const keys = await count(portal.database.db, sql`select count(*) as n from attachments`);
      assert.equal(storedFiles(portal).length, keys, 'no file without its row');
      demandeur = await new Visitor(portal.app).login('demandeur');
    });

    test('a form not sent again for two hours is abandoned; one sent again keeps its files', async () => {
      const db = portal.database.db;
      const send = async (form: ReturnType<typeof readForm>, files: [string, string, Buffer][] = [], keep?: string) =>
        demandeur.postMultipart(
          '/demandes/nouvelle',
          { _csrf: form.csrf, token: form.token, subject: '', ...(keep ? { keepFile: keep } : {}) },
          files,
        );
      const left = readForm((await demandeur.get('/demandes/nouvelle')).body);
      const kept = readForm((await demandeur.get('/demandes/nouvelle')).body);
      await send(left, [['files', 'oublie.png', PNG]]);
      const first = await send(kept, [['files', 'garde.png', PNG]]);
      const keepId = /name="keepFile"[^>]*value="(\d+)"/.exec(first.body)?.[1];
      assert.ok(keepId);
      await db.execute(sql`update attachments set created_at = now() - interval '3 hours' where request_id is null`);
      // The second form is sent again (refused once more): its files are not abandoned.
      await send(readForm(first.body), [], keepId);
      await runMaintenance(db, portal.app.deps.files);
      const names = (
        await rows<{ original_name: string }>(
          db,
          sql`select original_name from attachments where request_id is null order by original_name`,
        )
      ).map((r) => r.original_name);
      assert.deepEqual(names, ['garde.png']);
      const keys = await count(db, sql`select count(*) as n from attachments`);
      assert.equal(storedFiles(portal).length, keys, 'the abandoned file is gone from the disk too');
    });
  });
}
