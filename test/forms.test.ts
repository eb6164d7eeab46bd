/**
 * The new request form: a refused form says what is wrong next to each field and in a summary,
 * keeps what was typed and the files already sent, and writes no request; the fixed form
 * creates exactly one request, even when sent twice.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { count, errorSummary, fieldError, readForm, rows, storedFiles } from './support/factories.js';
import { PNG, Visitor } from './support/http.js';
import { createTestPortal, DATABASE_KINDS, type TestPortal } from './support/portal.js';

for (const kind of DATABASE_KINDS) {
  describe(`new request form (${kind})`, () => {
    let portal: TestPortal;
    let demandeur: Visitor;

    before(async () => {
      portal = await createTestPortal(kind);
      demandeur = await new Visitor(portal.app).login('demandeur');
    });
    after(() => portal?.close());

    const written = async () => {
      const db = portal.database.db;
      return {
        requests: await count(db, sql`select count(*) as n from requests`),
        events: await count(db, sql`select count(*) as n from request_events`),
        outbox: await count(db, sql`select count(*) as n from outbox`),
      };
    };

    test('a refused form: 422, errors next to each field and in the summary, values and file kept, nothing filed; then fixed, one request with the file', async () => {
      const db = portal.database.db;
      const page = await demandeur.get('/demandes/nouvelle');
      const form = readForm(page.body);
      const ariane = form.option('Ariane');
      const ceresTheme = form.option('base des agréments');
      assert.ok(ariane && ceresTheme);
      const before = await written();
      const url = '/demandes/nouvelle';
      const typed = {
        _csrf: form.csrf,
        token: form.token,
        subject: '',
        blocking: 'oui',
        applicationId: ariane,
        themeId: ceresTheme,
        problemTypeId: '',
        businessReference: 'DOSSIER-2026-042',
        description: '',
      };
      const refused = await demandeur.postMultipart(url, typed, [['files', 'capture-ecran.png', PNG]]);
      assert.equal(refused.statusCode, 422);
      assert.match(fieldError(refused.body, 'subject'), /Indiquez le sujet de la demande/);
      assert.match(fieldError(refused.body, 'description'), /Décrivez le problème rencontré/);
      assert.match(fieldError(refused.body, 'themeId'), /Choisissez un thème de l’application choisie/);
      assert.equal(fieldError(refused.body, 'businessReference'), '');
      const summary = errorSummary(refused.body);
      assert.match(summary, /3 erreurs/);
      assert.match(summary, /Sujet : Indiquez le sujet/);
      assert.match(summary, /Description : Décrivez le problème/);
      assert.match(summary, /Thème : Choisissez un thème/);
      // What was typed and chosen is still there.
      assert.match(refused.body, /value="DOSSIER-2026-042"/);
      assert.match(refused.body, new RegExp(`<option value="${ariane}" selected`));
      assert.match(refused.body, new RegExp(`<option value="${ceresTheme}" selected`));
      assert.match(
        refused.body,
        /<input[^>]*name="blocking"[^>]*value="oui"[^>]*checked|<input[^>]*value="oui"[^>]*name="blocking"[^>]*checked/,
      );
      assert.match(refused.body, new RegExp(`name="token" value="${form.token}"`));
      // The file is staged and offered again, already ticked.
      const staged = /<input[^>]*name="keepFile"[^>]*value="(\d+)"[^>]*checked/.exec(refused.body);
      assert.ok(staged, 'the staged file is shown again');
      assert.match(refused.body, /capture-ecran\.png/);
      assert.deepEqual(await written(), before);

      // Fixed, without choosing the file again.
      const next = readForm(refused.body);
      const accepted = await demandeur.postMultipart(`/demandes/nouvelle`, {
        ...typed,
        _csrf: next.csrf,
        subject: 'Édition des attestations',
        description: 'L’édition des attestations de fin de formation échoue.',
        themeId: '',
        keepFile: staged[1]!,
      });
      assert.equal(accepted.statusCode, 303, accepted.body.slice(0, 300));
      const number = Number(/\/demandes\/(\d+)\?cree=1$/.exec(String(accepted.headers.location))?.[1]);
      assert.ok(number);
      const after = await written();
      assert.equal(after.requests, before.requests + 1);
      // The receipt, and the new-request mail of the demo agent (who covers CERES).
      assert.equal(after.outbox, before.outbox + 2);
      const files = await rows<{ original_name: string; request_id: string; event_id: string | null }>(
        db,
        sql`select a.original_name, a.request_id, a.event_id from attachments a join requests r on r.id = a.request_id where r.number = ${number}`,
      );
      assert.deepEqual(
        files.map((f) => f.original_name),
        ['capture-ecran.png'],
      );
      assert.ok(files[0]?.event_id, 'attached to the « Créée par » event');
      const [request] = await rows(db, sql`select * from requests where number = ${number}`);
      assert.equal(request?.business_reference, 'DOSSIER-2026-042');
      assert.equal(request?.blocking, true);
      const shown = await demandeur.get(`/demandes/${number}?cree=1`);
      assert.match(shown.body, /Votre demande a bien été enregistrée/);
      assert.match(shown.body, /capture-ecran\.png/);
    });

    test('every wrong field is reported at once, each in French', async () => {
      const form = readForm((await demandeur.get('/demandes/nouvelle')).body);
      const response = await demandeur.postMultipart(`/demandes/nouvelle`, {
        _csrf: form.csrf,
        token: form.token,
        subject: 'x'.repeat(201),
        applicationId: '999999',
        problemTypeId: '999999',
        description: 'court',
      });
      assert.equal(response.statusCode, 422);
      assert.match(fieldError(response.body, 'subject'), /200 caractères/);
      assert.match(fieldError(response.body, 'description'), /10 caractères au moins/);
      assert.match(fieldError(response.body, 'applicationId'), /Choisissez l’application concernée/);
      assert.match(fieldError(response.body, 'problemTypeId'), /Choisissez un type de problème de la liste/);
      assert.match(errorSummary(response.body), /Bloquant \/ Non bloquant : Indiquez si le problème est bloquant ou non/);
    });

    test('a staged file the person unticks is removed, from the database and the disk', async () => {
      const db = portal.database.db;
      const form = readForm((await demandeur.get('/demandes/nouvelle')).body);
      const url = '/demandes/nouvelle';
      const filesBefore = storedFiles(portal);
      const refused = await demandeur.postMultipart(url, { _csrf: form.csrf, token: form.token, subject: '' }, [
        ['files', 'a-retirer.png', PNG],
      ]);
      assert.equal(refused.statusCode, 422);
      assert.equal(storedFiles(portal).length, filesBefore.length + 1);
      const again = await demandeur.postMultipart(url, { _csrf: form.csrf, token: form.token, subject: '' });
      assert.equal(again.statusCode, 422);
      assert.doesNotMatch(again.body, /a-retirer\.png/);
      assert.equal(await count(db, sql`select count(*) as n from attachments where original_name = 'a-retirer.png'`), 0);
      assert.deepEqual(storedFiles(portal), filesBefore);
    });

    test('a double submission creates one request and one receipt', async () => {
      const db = portal.database.db;
      const form = readForm((await demandeur.get('/demandes/nouvelle')).body);
      const fields = {
        _csrf: form.csrf,
        token: form.token,
        subject: 'Double clic',
        blocking: 'non',
        applicationId: form.option('CERES'),
        description: 'Le bouton Enregistrer a été pressé deux fois.',
      };
      const url = '/demandes/nouvelle';
      const before = await written();
      // Both at once (a double click), then a third time (a refresh).
      const [first, second] = await Promise.all([
        demandeur.postMultipart(url, fields, [['files', 'double.png', PNG]]),
        demandeur.postMultipart(url, fields, [['files', 'double.png', PNG]]),
      ]);
      const third = await demandeur.postMultipart(url, fields);
      const locations = [first, second, third].map((r) => {
        assert.equal(r.statusCode, 303, r.body.slice(0, 300));
        return String(r.headers.location);
      });
      const numbers = new Set(locations.map((l) => /\/demandes\/(\d+)/.exec(l)?.[1]));
      assert.equal(numbers.size, 1, locations.join(' '));
      assert.equal(locations.filter((l) => l.endsWith('?cree=1')).length, 1, locations.join(' '));
      const after = await written();
      assert.equal(after.requests, before.requests + 1);
      // The receipt, and the new-request mail of the demo agent (who covers CERES).
      assert.equal(after.outbox, before.outbox + 2);
      const [number] = [...numbers];
      const receipts = await count(
        db,
        sql`select count(*) as n from outbox o join requests r on r.id = o.request_id where r.number = ${Number(number)} and o.kind = 'receipt'`,
      );
      assert.equal(receipts, 1);
    });

    test('a token of another person’s form does not reveal or reuse their request', async () => {
      const direccte = await new Visitor(portal.app).login('direccte');
      const mine = readForm((await demandeur.get('/demandes/nouvelle')).body);
      const fields = {
        token: mine.token,
        subject: 'Ma demande',
        blocking: 'non',
        applicationId: mine.option('CERES'),
        description: 'Une demande déposée normalement.',
        // The suggestions of the knowledge base were seen while typing: the form files at once.
        suggestionsShown: '1',
      };
      const created = await demandeur.postMultipart(`/demandes/nouvelle`, { _csrf: mine.csrf, ...fields });
      assert.equal(created.statusCode, 303);
      const theirs = readForm((await direccte.get('/demandes/nouvelle')).body);
      const replay = await direccte.postMultipart(`/demandes/nouvelle`, { _csrf: theirs.csrf, ...fields, subject: 'Rejeu' });
      assert.equal(replay.statusCode, 409);
      assert.match(replay.body, /Ce formulaire a déjà été envoyé/);
      assert.doesNotMatch(replay.body, /Ma demande/);
      assert.equal(await count(portal.database.db, sql`select count(*) as n from requests where subject = 'Rejeu'`), 0);
    });
  });
}
