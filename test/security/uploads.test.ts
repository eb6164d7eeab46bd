/**
 * Uploads (the road from upload to code execution or stored XSS): the type is read from the
 * content, not the name; a refused file is reported next to the field in French and leaves
 * nothing behind; downloads are attachments under a sandbox policy.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { actionFields, count, fieldError, fileAs, readForm, rows, storedFiles } from '../support/factories.js';
import { PNG, Visitor } from '../support/http.js';
import { createTestPortal, DATABASE_KINDS, type TestPortal } from '../support/portal.js';

/** Files that claim to be images by their name. */
const DISGUISED: [string, Buffer][] = [
  ['capture.png', Buffer.from('<!doctype html><html><body><script>alert(document.cookie)</script></body></html>')],
  [
    'schema.png',
    Buffer.from('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'),
  ],
  ['photo.png', Buffer.concat([Buffer.from('MZ'), Buffer.alloc(126), Buffer.from('PE\0\0'), Buffer.alloc(256, 0x90)])],
  ['notes.txt', Buffer.concat([Buffer.from('texte puis '), Buffer.from([0, 1, 2, 3]), Buffer.from(' binaire')])],
];

for (const kind of DATABASE_KINDS) {
  describe(`security: uploads (${kind})`, () => {
    let portal: TestPortal;
    let demandeur: Visitor;

    before(async () => {
      // Small limits, to test them without big payloads.
      portal = await createTestPortal(kind, { UPLOAD_MAX_FILE_MB: '0.01', UPLOAD_MAX_FILES: '2' });
      demandeur = await new Visitor(portal.app).login('demandeur');
    });
    after(() => portal?.close());

    const state = async () => {
      const db = portal.database.db;
      return {
        requests: await count(db, sql`select count(*) as n from requests`),
        attachments: await count(db, sql`select count(*) as n from attachments`),
        outbox: await count(db, sql`select count(*) as n from outbox`),
        files: storedFiles(portal),
      };
    };

    async function newRequest(files: [string, string, Buffer][]) {
      const form = readForm((await demandeur.get('/demandes/nouvelle')).body);
      return demandeur.postMultipart(
        `/demandes/nouvelle`,
        {
          _csrf: form.csrf,
          token: form.token,
          subject: 'Capture jointe',
          blocking: 'non',
          applicationId: form.option('CERES'),
          description: 'Voici une capture de l’écran en erreur.',
          // The knowledge base's suggestions were seen while typing: the form files at once.
          suggestionsShown: '1',
        },
        files,
      );
    }

    for (const [name, content] of DISGUISED) {
      test(`a disguised file (${name}) is refused next to the field, and nothing is stored`, async () => {
        const before = await state();
        const response = await newRequest([['files', name, content]]);
        assert.equal(response.statusCode, 422);
        assert.match(
          fieldError(response.body, 'files'),
          new RegExp(`Le format du fichier « ${name.replace('.', '\\.')} » n’est pas accepté \\(formats acceptés : png, jpg`),
        );
        assert.deepEqual(await state(), before);
      });
    }

    test('a disguised file sent with an action is refused next to that form’s field, nothing stored', async () => {
      const number = await fileAs(portal, 'demandeur');
      const form = actionFields((await demandeur.get(`/demandes/${number}`)).body, 'add_info');
      const before = await state();
      const response = await demandeur.postMultipart(
        `/demandes/${number}/actions`,
        { _csrf: form.csrf, action: 'add_info', version: form.version, token: form.token, message: 'Voici la capture.' },
        [['files', 'capture.png', DISGUISED[0]![1]]],
      );
      assert.equal(response.statusCode, 422);
      assert.match(
        fieldError(response.body, 'files', 'form-add_info'),
        /Le format du fichier « capture\.png » n’est pas accepté/,
      );
      // What was typed is still there.
      assert.match(response.body, /Voici la capture\./);
      assert.deepEqual(await state(), before);
    });

    test('a file over the size limit is refused with the limit in French, nothing stored', async () => {
      const before = await state();
      const big = Buffer.concat([PNG, Buffer.alloc(20 * 1024)]);
      const response = await newRequest([['files', 'grande-capture.png', big]]);
      assert.equal(response.statusCode, 422);
      assert.match(fieldError(response.body, 'files'), /Le fichier « grande-capture\.png » dépasse la taille maximale de 10 ko/);
      assert.deepEqual(await state(), before);
    });

    test('more files than allowed are refused in French', async () => {
      const response = await newRequest([
        ['files', 'a.png', PNG],
        ['files', 'b.png', PNG],
        ['files', 'c.png', PNG],
      ]);
      assert.equal(response.statusCode, 422);
      assert.match(fieldError(response.body, 'files'), /Vous pouvez joindre 2 fichiers au plus/);
    });

    test('an accepted file is stored under a generated name, its original name kept as metadata', async () => {
      const response = await newRequest([['files', '../../etc/passwd.png', PNG]]);
      assert.equal(response.statusCode, 303, response.body.slice(0, 300));
      const [file] = await rows<{ storage_key: string; original_name: string; media_type: string }>(
        portal.database.db,
        sql`select storage_key, original_name, media_type from attachments order by id desc limit 1`,
      );
      assert.match(file?.storage_key ?? '', /^[a-f0-9]{32}$/);
      assert.equal(file?.original_name, 'passwd.png');
      assert.equal(file?.media_type, 'image/png');
      assert.ok(storedFiles(portal).includes(file!.storage_key));
    });

    test('a file is named after the type of its content, without invisible characters', async () => {
      const polyglot = Buffer.concat([PNG, Buffer.from('<html><script>alert(1)</script></html>')]);
      const response = await newRequest([
        ['files', 'poly.html', polyglot],
        ['files', 'facture\u202Egpj.exe.png', PNG],
      ]);
      assert.equal(response.statusCode, 303, response.body.slice(0, 300));
      const names = await rows<{ original_name: string }>(
        portal.database.db,
        sql`select original_name from attachments order by id desc limit 2`,
      );
      assert.deepEqual(names.map((n) => n.original_name).sort(), ['facturegpj.exe.png', 'poly.png']);
    });

    test('names stored before are corrected by the migration the same way', async () => {
      const db = portal.database.db;
      const [user] = await rows<{ id: number }>(db, sql`select id from users where login = 'demandeur'`);
      const names = ['poly.html', 'setup.exe', 'facture\u202Egpj.exe.png', 'capture', 'photo.JPEG', 'notes.txt'];
      const types = ['image/png', 'image/png', 'image/png', 'image/png', 'image/jpeg', 'text/plain'];
      for (const [i, name] of names.entries()) {
        await db.execute(sql`insert into attachments (storage_key, original_name, media_type, size_bytes, sha256, uploaded_by)
          values (${`migr${i}`.padEnd(32, '0')}, ${name}, ${types[i]}, 1, 'x', ${user!.id})`);
      }
      const migration = readFileSync(join('src/db/migrations', '20261203100000_attachment_names.sql'), 'utf8');
      await portal.database.execScript(migration);
      const after = await rows<{ original_name: string }>(
        db,
        sql`select original_name from attachments where storage_key like 'migr%' order by storage_key`,
      );
      assert.deepEqual(
        after.map((r) => r.original_name),
        ['poly.png', 'setup.png', 'facturegpj.exe.png', 'capture.png', 'photo.JPEG', 'notes.txt'],
      );
      await db.execute(sql`delete from attachments where storage_key like 'migr%'`);
    });

    test('a download is an attachment with a sandbox policy, nosniff and no caching', async () => {
      const response = await newRequest([['files', 'écran "final".png', PNG]]);
      assert.equal(response.statusCode, 303);
      const [file] = await rows<{ id: string }>(portal.database.db, sql`select id from attachments order by id desc limit 1`);
      const download = await demandeur.get(`/pieces-jointes/${file?.id}`);
      assert.equal(download.statusCode, 200);
      assert.equal(download.headers['content-type'], 'image/png');
      assert.match(String(download.headers['content-disposition']), /^attachment; filename\*=UTF-8''/);
      assert.doesNotMatch(String(download.headers['content-disposition']), /"/);
      assert.match(String(download.headers['content-security-policy']), /default-src 'none'/);
      assert.match(String(download.headers['content-security-policy']), /sandbox/);
      assert.equal(download.headers['x-content-type-options'], 'nosniff');
      assert.match(String(download.headers['cache-control']), /no-store/);
      assert.deepEqual(download.rawPayload, PNG);
    });

    test('a file missing from the store is a clean 404, not a server error', async () => {
      const response = await newRequest([['files', 'perdu.png', PNG]]);
      assert.equal(response.statusCode, 303);
      const [file] = await rows<{ id: string; storage_key: string }>(
        portal.database.db,
        sql`select id, storage_key from attachments order by id desc limit 1`,
      );
      assert.equal((await demandeur.get(`/pieces-jointes/${file?.id}`)).statusCode, 200);
      await portal.app.deps.files.remove(file!.storage_key);
      const download = await demandeur.get(`/pieces-jointes/${file?.id}`);
      assert.equal(download.statusCode, 404);
      assert.match(download.body, /Page non trouvée|introuvable/i);
    });
  });
}
