/**
 * « Base documentaire »: editors create, edit, version, publish and unpublish documents (audit
 * trail, errors next to the fields, refused formats); each visitor sees and downloads exactly what
 * the audience allows, also by guessing addresses; the worker extracts the text of PDF files.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { documentStore } from '../src/domain/knowledge/documents-files.js';
import { runDocumentText, TEXT_LIMITS } from '../src/jobs/document-text.js';
import { applicationId, count, errorSummary, fieldError, rows, themeId } from './support/factories.js';
import { PNG, Visitor } from './support/http.js';
import { createTestPortal, DATABASE_KINDS, type TestPortal } from './support/portal.js';

async function pdfOf(...lines: string[]): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const page = doc.addPage();
  lines.forEach((line, i) => {
    page.drawText(line, { x: 40, y: 760 - 20 * i, size: 12, font });
  });
  return Buffer.from(await doc.save());
}

const idOf = async (portal: TestPortal, title: string) =>
  Number((await rows<{ id: number }>(portal.database.db, sql`select id from documents where title = ${title}`))[0]?.id);

for (const kind of DATABASE_KINDS) {
  describe(`documents (${kind})`, () => {
    let portal: TestPortal;
    let anonymous: Visitor;
    let demandeur: Visitor;
    let agent: Visitor;
    let admin: Visitor;
    let ceres: number;
    let agrements: number;

    before(async () => {
      portal = await createTestPortal(kind);
      anonymous = new Visitor(portal.app);
      demandeur = await new Visitor(portal.app).login('demandeur');
      agent = await new Visitor(portal.app).login('agent');
      admin = await new Visitor(portal.app).login('admin');
      ceres = await applicationId(portal.database.db, 'CERES');
      agrements = await themeId(portal.database.db, 'base des agréments');
    });
    after(() => portal?.close());

    const create = async (who: Visitor, fields: Record<string, string>, file?: [string, Buffer]) => {
      const token = await who.token('/redaction/documents/nouveau');
      return who.postMultipart(
        `/redaction/documents/nouveau`,
        {
          _csrf: token,
          title: '',
          summary: '',
          applicationId: String(ceres),
          themeId: String(agrements),
          audience: 'users',
          ...fields,
        },
        file ? [['file', file[0], file[1]]] : [],
      );
    };
    const createdId = (location: unknown) => Number(/\/redaction\/documents\/(\d+)/.exec(String(location))?.[1]);

    test('browsing CERES › a theme: each visitor sees the documents of their audience, with format and size', async () => {
      const url = `/base-documentaire?application=${ceres}&theme=${agrements}`;
      const [pub, req, ag] = [await anonymous.get(url), await demandeur.get(url), await agent.get(url)];
      for (const page of [pub, req, ag]) {
        assert.equal(page.statusCode, 200);
        assert.match(page.body, /Guide utilisateur CERES – Agréments/);
        assert.match(page.body, /fr-link--download[\s\S]*?<span class="fr-link__detail">PDF – [\d,]+ (?:o|ko|Mo)<\/span>/);
        assert.match(page.body, /href="\/recherche"/);
      }
      assert.doesNotMatch(pub.body, /Procédure interne/);
      assert.doesNotMatch(req.body, /Procédure interne/);
      assert.match(ag.body, /Procédure interne de traitement des agréments/);
      const sessions = `/base-documentaire?application=${ceres}&theme=${await themeId(portal.database.db, 'base des sessions')}`;
      assert.doesNotMatch((await anonymous.get(sessions)).body, /Calendrier des sessions/);
      assert.match((await demandeur.get(sessions)).body, /Calendrier des sessions/);
    });

    test('an agents-only document is never shown or sent to a requester, even by its address', async () => {
      const id = await idOf(portal, 'Procédure interne de traitement des agréments');
      for (const visitor of [anonymous, demandeur]) {
        for (const url of [
          `/base-documentaire/documents/${id}`,
          `/base-documentaire/documents/${id}/fichier`,
          `/base-documentaire/documents/${id}/versions/1`,
        ]) {
          assert.equal((await visitor.get(url)).statusCode, 404, url);
        }
      }
      const file = await agent.get(`/base-documentaire/documents/${id}/fichier`);
      assert.equal(file.statusCode, 200);
      assert.equal(file.headers['content-type'], 'application/pdf');
      assert.match(String(file.headers['content-disposition']), /^attachment; filename="procedure-interne-agrements.pdf"/);
      assert.equal(file.headers['content-security-policy'], "default-src 'none'; sandbox");
      assert.equal(file.rawPayload.subarray(0, 5).toString(), '%PDF-');
      // Signed-in people's documents: not for anonymous visitors.
      const sessions = await idOf(portal, 'Calendrier des sessions d’examen 2026');
      assert.equal((await anonymous.get(`/base-documentaire/documents/${sessions}/fichier`)).statusCode, 404);
      assert.equal((await demandeur.get(`/base-documentaire/documents/${sessions}/fichier`)).statusCode, 200);
    });

    test('the seeded guide has two versions: the page lists the previous one, which stays downloadable', async () => {
      const id = await idOf(portal, 'Guide utilisateur CERES – Agréments');
      const page = await anonymous.get(`/base-documentaire/documents/${id}`);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Versions précédentes/);
      assert.match(page.body, new RegExp(`href="/base-documentaire/documents/${id}/versions/1"`));
      const v1 = await anonymous.get(`/base-documentaire/documents/${id}/versions/1`);
      const current = await anonymous.get(`/base-documentaire/documents/${id}/fichier`);
      assert.equal(v1.statusCode, 200);
      assert.equal(current.statusCode, 200);
      assert.notDeepEqual(v1.rawPayload, current.rawPayload);
      assert.equal((await anonymous.get(`/base-documentaire/documents/${id}/versions/3`)).statusCode, 404);
      assert.equal((await anonymous.get(`/base-documentaire/documents/${id}/versions/abc`)).statusCode, 404);
    });

    test('only editors reach « Rédaction »: an agent gets 403 until an administrator appoints them', async () => {
      for (const url of ['/redaction', '/redaction/documents', '/redaction/documents/nouveau']) {
        assert.equal((await agent.get(url)).statusCode, 403, url);
        assert.equal((await demandeur.get(url)).statusCode, 403, url);
        assert.equal((await anonymous.get(url)).statusCode, 303, url);
      }
      const refused = await agent.post('/redaction/documents/1/publication', { _csrf: await agent.token('/'), published: '0' });
      assert.equal(refused.statusCode, 403);
      assert.equal((await admin.get('/redaction')).statusCode, 200);
      // The administrator appoints the agent on the user page (audit trail).
      const [user] = await rows<{ id: number; structure_id: number | null }>(
        portal.database.db,
        sql`select id, structure_id from users where login = 'agent'`,
      );
      const apps = await rows<{ application_id: number }>(
        portal.database.db,
        sql`select application_id from user_applications where user_id = ${user!.id}`,
      );
      const userPage = `/admin/utilisateurs/${user!.id}`;
      assert.match((await admin.get(userPage)).body, /Rédacteur de la base documentaire/);
      const appoint = async (on: boolean) => {
        const pairs = [
          ['_csrf', await admin.token(userPage)],
          ['role', 'agent'],
          ['structureId', user!.structure_id ? String(user!.structure_id) : ''],
          ['status', 'active'],
          ...apps.map((a) => ['applicationIds', String(a.application_id)]),
          ...(on ? [['knowledgeEditor', '1']] : []),
        ];
        // Repeated fields (the applications' checkboxes): URLSearchParams takes the pairs as they are.
        return admin.post(userPage, pairs as unknown as Record<string, string>);
      };
      assert.equal((await appoint(true)).statusCode, 303);
      assert.match((await admin.get(userPage)).body, /id="knowledgeEditor" name="knowledgeEditor" value="1" checked/);
      const [audited] = await rows<{ details: { after: Record<string, unknown> } }>(
        portal.database.db,
        sql`select details from audit_log where action = 'user.update' and target = ${`user:${user!.id}`} order by id desc limit 1`,
      );
      assert.deepEqual(audited?.details.after, { knowledgeEditor: true });
      const index = await agent.get('/redaction');
      assert.equal(index.statusCode, 200);
      assert.match(index.body, /Guide utilisateur CERES – Agréments/);
      assert.match((await agent.get('/')).body, /href="\/redaction"/);
      assert.doesNotMatch((await demandeur.get('/')).body, /href="\/redaction"/);
      assert.equal((await appoint(false)).statusCode, 303);
      assert.equal((await agent.get('/redaction')).statusCode, 403);
    });

    test('a refused form says what is wrong next to each field, keeps the typed values, and writes nothing', async () => {
      const before = await count(portal.database.db, sql`select count(*) as n from documents`);
      const empty = await create(admin, { title: 'ab', summary: 'Un résumé tapé' });
      assert.equal(empty.statusCode, 422);
      assert.match(fieldError(empty.body, 'title'), /3 caractères au moins/);
      assert.match(fieldError(empty.body, 'file'), /Choisissez le fichier/);
      assert.match(errorSummary(empty.body), /Titre/);
      assert.match(empty.body, /Un résumé tapé/);
      const wrongTheme = await create(
        admin,
        { title: 'Thème d’une autre application', applicationId: String(await applicationId(portal.database.db, 'ARIANE')) },
        ['guide.pdf', await pdfOf('x')],
      );
      assert.equal(wrongTheme.statusCode, 422);
      assert.match(fieldError(wrongTheme.body, 'themeId'), /thématique de l’application choisie/);
      assert.match(wrongTheme.body, /choisissez-le à nouveau/);
      const gif = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');
      for (const [name, content] of [
        ['image.gif', gif],
        ['programme.exe', Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 1)])],
        ['page.html', Buffer.from('<html><script>alert(1)</script></html>')],
      ] as [string, Buffer][]) {
        const refused = await create(admin, { title: 'Format refusé' }, [name, content]);
        assert.equal(refused.statusCode, 422, name);
        assert.match(fieldError(refused.body, 'file'), /n’est pas accepté \(formats acceptés : pdf, odt/, name);
        assert.match(refused.body, /value="Format refusé"/);
      }
      assert.equal(await count(portal.database.db, sql`select count(*) as n from documents`), before);
      const files = await rows(
        portal.database.db,
        sql`select 1 from document_versions v join documents d on d.id = v.document_id where d.title = 'Format refusé'`,
      );
      assert.equal(files.length, 0);
    });

    test('create, preview, publish, edit, new version, unpublish: each in the audit trail, old version kept', async () => {
      const created = await create(
        admin,
        { title: 'Mode opératoire des sessions', summary: 'Ouvrir une session pas à pas.', audience: 'users' },
        ['mode-operatoire.pdf', await pdfOf('Mode opératoire', 'Ouvrir une session')],
      );
      assert.equal(created.statusCode, 303);
      const id = createdId(created.headers.location);
      const doc = `/base-documentaire/documents/${id}`;
      // A draft: editors only.
      assert.equal((await demandeur.get(doc)).statusCode, 404);
      assert.equal((await demandeur.get(`${doc}/fichier`)).statusCode, 404);
      assert.doesNotMatch((await demandeur.get(`/base-documentaire?application=${ceres}`)).body, /Mode opératoire des sessions/);
      const preview = await admin.get(`/redaction/documents/${id}/apercu`);
      assert.equal(preview.statusCode, 200);
      assert.match(preview.body, /Aperçu/);
      assert.match(preview.body, /Ouvrir une session pas à pas\./);

      const editPage = `/redaction/documents/${id}`;
      const publish = await admin.post(`${editPage}/publication`, { _csrf: await admin.token(editPage), published: '1' });
      assert.equal(publish.statusCode, 303);
      assert.match(
        (await demandeur.get(`/base-documentaire?application=${ceres}&theme=${agrements}`)).body,
        /Mode opératoire des sessions/,
      );
      assert.equal((await anonymous.get(doc)).statusCode, 404, 'signed-in people only');
      const [first] = await rows<{ published_at: Date }>(
        portal.database.db,
        sql`select published_at from documents where id = ${id}`,
      );
      assert.ok(first?.published_at);

      const edit = await admin.post(editPage, {
        _csrf: await admin.token(editPage),
        title: 'Mode opératoire des sessions d’examen',
        summary: 'Ouvrir et clore une session.',
        applicationId: String(ceres),
        themeId: '',
        audience: 'public',
      });
      assert.equal(edit.statusCode, 303);
      assert.match((await anonymous.get(doc)).body, /Mode opératoire des sessions d’examen/);
      const badEdit = await admin.post(editPage, {
        _csrf: await admin.token(editPage),
        title: '',
        applicationId: String(ceres),
        themeId: '',
        audience: 'tous',
      });
      assert.equal(badEdit.statusCode, 422);
      assert.match(badEdit.body, /fr-message--error">Choisissez qui peut lire ce document\./);
      assert.match(fieldError(badEdit.body, 'title'), /3 caractères au moins/);

      const v1 = await anonymous.get(`${doc}/fichier`);
      const versionToken = await admin.token(editPage);
      const badVersion = await admin.postMultipart(`${editPage}/versions`, { _csrf: versionToken }, []);
      assert.equal(badVersion.statusCode, 422);
      assert.match(badVersion.body, /Choisissez le nouveau fichier/);
      const version = await admin.postMultipart(`${editPage}/versions`, { _csrf: versionToken }, [['file', 'schema.png', PNG]]);
      assert.equal(version.statusCode, 303);
      const current = await anonymous.get(`${doc}/fichier`);
      assert.equal(current.headers['content-type'], 'image/png');
      assert.deepEqual(current.rawPayload, PNG);
      const old = await anonymous.get(`${doc}/versions/1`);
      assert.equal(old.statusCode, 200);
      assert.deepEqual(old.rawPayload, v1.rawPayload);
      assert.match((await anonymous.get(doc)).body, /Versions précédentes[\s\S]*PDF – [\d,]+ (?:o|ko|Mo)/);

      const unpublish = await admin.post(`${editPage}/publication`, { _csrf: await admin.token(editPage), published: '0' });
      assert.equal(unpublish.statusCode, 303);
      assert.equal((await anonymous.get(doc)).statusCode, 404);
      assert.equal((await anonymous.get(`${doc}/versions/1`)).statusCode, 404);
      await admin.post(`${editPage}/publication`, { _csrf: await admin.token(editPage), published: '1' });
      const [again] = await rows<{ published_at: Date }>(
        portal.database.db,
        sql`select published_at from documents where id = ${id}`,
      );
      assert.equal(
        new Date(again!.published_at).getTime(),
        new Date(first!.published_at).getTime(),
        'the first publication date stays',
      );

      const trail = await rows<{ action: string }>(
        portal.database.db,
        sql`select action from audit_log where target = ${`document:${id}`} order by id`,
      );
      assert.deepEqual(
        trail.map((r) => r.action),
        ['document.create', 'document.publish', 'document.update', 'document.version', 'document.unpublish', 'document.publish'],
      );
    });

    test('the worker extracts the text of the current PDF, marks a broken one failed, skips a too big one, stops a slow one', async () => {
      const store = documentStore(portal.config.dataDir);
      const db = portal.database.db;
      await runDocumentText(db, store); // the seeded versions first
      const good = createdId(
        (
          await create(admin, { title: 'Guide des jurés' }, [
            'jures.pdf',
            await pdfOf('Convocation des jurés', 'vocable zeugmatique'),
          ])
        ).headers.location,
      );
      const broken = createdId(
        (
          await create(admin, { title: 'PDF abîmé' }, [
            'abime.pdf',
            Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(300, 7)]),
          ])
        ).headers.location,
      );
      const text = createdId(
        (await create(admin, { title: 'Notes' }, ['notes.txt', Buffer.from('Notes en texte brut\n')])).headers.location,
      );
      assert.ok(good && broken && text);
      const handled = await runDocumentText(db, store);
      assert.equal(handled, 2, 'the text file never waits');
      const status = async (id: number) =>
        (
          await rows<{ text_status: string; text_error: string | null }>(
            db,
            sql`select text_status, text_error from document_versions where document_id = ${id}`,
          )
        )[0];
      assert.equal((await status(good))?.text_status, 'done');
      const [doc] = await rows<{ file_text: string }>(db, sql`select file_text from documents where id = ${good}`);
      assert.match(doc!.file_text, /vocable zeugmatique/);
      assert.equal((await status(broken))?.text_status, 'failed');
      assert.ok((await status(broken))?.text_error);
      assert.equal((await status(text))?.text_status, 'none');
      const seeded = await rows<{ file_text: string }>(
        db,
        sql`select file_text from documents where title = 'Guide utilisateur CERES – Agréments'`,
      );
      assert.match(seeded[0]!.file_text, /récépissé quadriennal/);

      const big = createdId((await create(admin, { title: 'Gros guide' }, ['gros.pdf', await pdfOf('gros')])).headers.location);
      await runDocumentText(db, store, { ...TEXT_LIMITS, maxBytes: 100 });
      const bigStatus = await status(big);
      assert.equal(bigStatus?.text_status, 'failed');
      assert.match(bigStatus?.text_error ?? '', /trop volumineux/);
      // A file that takes longer than allowed: the thread is stopped and the next file still read.
      const slow = createdId((await create(admin, { title: 'Guide lent' }, ['lent.pdf', await pdfOf('lent')])).headers.location);
      await runDocumentText(db, store, { ...TEXT_LIMITS, timeoutMs: 1 });
      assert.equal((await status(slow))?.text_status, 'failed');
      assert.match((await status(slow))?.text_error ?? '', /interrompue/);
      const after = createdId(
        (await create(admin, { title: 'Guide suivant' }, ['suivant.pdf', await pdfOf('suivant')])).headers.location,
      );
      await runDocumentText(db, store);
      assert.equal((await status(after))?.text_status, 'done');
      // The search sees the extracted text.
      const found = await count(
        db,
        sql`select count(*) as n from documents where search @@ plainto_tsquery('fr_unaccent', 'zeugmatique')`,
      );
      assert.equal(found, 1);
    });
  });
}
