/**
 * FAQ entries and news: editors create, preview, edit, publish and unpublish them (errors next to
 * the fields, typed values kept, audit trail); readers see only published items within their
 * audience, on the home page, /faq, /faq/:numero and /actualites; news follow their window.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { setClock } from '../src/domain/clock.js';
import { applicationId, count, errorSummary, fieldError, fileAs, rows, themeId } from './support/factories.js';
import { Visitor } from './support/http.js';
import { createTestPortal, DATABASE_KINDS, type TestPortal } from './support/portal.js';

const FAQ = '/redaction/faq';
const NEWS = '/redaction/actualites';

/** The value of a form control, entities decoded. */
function controlValue(html: string, name: string): string {
  const input = new RegExp(`<input[^>]*name="${name}"[^>]*value="([^"]*)"`).exec(html)?.[1];
  const raw = input ?? new RegExp(`<textarea[^>]*name="${name}"[^>]*>([\\s\\S]*?)</textarea>`).exec(html)?.[1] ?? '';
  return raw
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

for (const kind of DATABASE_KINDS) {
  describe(`FAQ and news (${kind})`, () => {
    let portal: TestPortal;
    let admin: Visitor;
    let demandeur: Visitor;
    let agent: Visitor;
    let anonymous: Visitor;
    let ceres: number;
    let ariane: number;

    before(async () => {
      portal = await createTestPortal(kind);
      admin = await new Visitor(portal.app).login('admin');
      demandeur = await new Visitor(portal.app).login('demandeur');
      agent = await new Visitor(portal.app).login('agent');
      anonymous = new Visitor(portal.app);
      ceres = await applicationId(portal.database.db, 'CERES');
      ariane = await applicationId(portal.database.db, 'ARIANE');
    });
    after(() => portal?.close());
    afterEach(() => setClock(null));

    const db = () => portal.database.db;
    const audits = (action: string, target: string) =>
      count(db(), sql`select count(*) as n from audit_log where action = ${action} and target = ${target}`);

    async function postFaq(url: string, fields: Record<string, string>) {
      const csrf = await admin.token(url);
      return admin.post(url, { _csrf: csrf, audience: 'users', documentIds: '', themeId: '', number: '', ...fields });
    }

    async function faqId(number: number): Promise<number> {
      const [row] = await rows<{ id: number }>(db(), sql`select id from faq_entries where number = ${number}`);
      assert.ok(row, `no FAQ entry ${number}`);
      return Number(row.id);
    }

    async function publish(base: string, id: number, published: boolean) {
      const csrf = await admin.token(`${base}/${id}`);
      return admin.post(`${base}/${id}/publication`, { _csrf: csrf, published: String(published) });
    }

    async function addDocument(title: string, audience: string, published = true): Promise<number> {
      const [doc] = await rows<{ id: number }>(
        db(),
        sql`insert into documents (title, application_id, audience, published, published_at)
            values (${title}, ${ceres}, ${audience}, ${published}, now()) returning id`,
      );
      await db().execute(sql`insert into document_versions (document_id, version, storage_key, original_name, media_type, size_bytes, sha256, text_status)
        values (${doc!.id}, 1, ${`k-${doc!.id}`}, 'guide.pdf', 'application/pdf', 1258291, 'x', 'done')`);
      return Number(doc!.id);
    }

    test('the seeded home page: current news only, the latest answers the visitor may read', async () => {
      const home = (await demandeur.get('/')).body;
      assert.match(home, /Ouverture de CERES/);
      assert.match(home, /Nouvelles éditions des attestations CERES/);
      assert.doesNotMatch(home, /Maintenance de CERES/);
      assert.match(home, /Publiée le 17\/01\/2019/);
      assert.match(home, /<a href="\/faq\/55">55 - Circulaire DGEFP/);
      assert.match(home, /<a href="\/faq\/59">59 - /);
      assert.doesNotMatch(home, /Procédure interne/);
      // A link in the news text is a checked link, opened in a new window.
      assert.match(home, /<a href="https:\/\/ceres\.emploi\.gouv\.fr" target="_blank" rel="noopener noreferrer"/);

      const staff = (await agent.get('/')).body;
      assert.match(staff, /<a href="\/faq\/60">60 - Procédure interne/);
      assert.doesNotMatch(staff, /<a href="\/faq\/55">/, 'five latest: 56 to 60 for staff');
    });

    test('an entry is read within its audience; others get 404, also by URL', async () => {
      const page = await anonymous.get('/faq/55');
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /<h1 class="fr-h2">55 - Circulaire DGEFP/);
      assert.match(page.body, /<strong>agrément bloquant<\/strong>/);
      assert.match(
        page.body,
        /fr-breadcrumb[\s\S]*href="\/base-documentaire\?application=\d+"[^>]*>CERES<[\s\S]*base des agréments/,
      );
      assert.equal((await anonymous.get('/faq/58')).statusCode, 404, 'signed-in readers only');
      assert.equal((await demandeur.get('/faq/58')).statusCode, 200);
      assert.equal((await demandeur.get('/faq/60')).statusCode, 404, 'agents only');
      assert.equal((await anonymous.get('/faq/60')).statusCode, 404);
      assert.equal((await agent.get('/faq/60')).statusCode, 200);
      assert.equal((await demandeur.get('/faq/9999')).statusCode, 404);
      assert.equal((await demandeur.get('/faq/abc')).statusCode, 404);

      const list = (await demandeur.get('/faq')).body;
      assert.match(list, /59 - [\s\S]*58 - [\s\S]*55 - /, 'newest first');
      assert.doesNotMatch(list, /Procédure interne/);
      assert.doesNotMatch((await demandeur.get(`/faq?application=${ariane}`)).body, /55 - /);
    });

    test('editing is for administrators and appointed editors; others get 403', async () => {
      assert.equal((await anonymous.get(FAQ)).statusCode, 303);
      assert.equal((await demandeur.get(FAQ)).statusCode, 403);
      assert.equal((await agent.get(NEWS)).statusCode, 403);
      assert.equal((await admin.get(FAQ)).statusCode, 200);
      const csrf = await demandeur.token('/');
      const refused = await demandeur.post(`${FAQ}/nouvelle`, {
        _csrf: csrf,
        title: 'Intrusion',
        body: 'x',
        applicationId: String(ceres),
        audience: 'public',
      });
      assert.equal(refused.statusCode, 403);
      assert.equal(await count(db(), sql`select count(*) as n from faq_entries where title = 'Intrusion'`), 0);

      await db().execute(sql`update users set knowledge_editor = true where login = 'expert'`);
      const expert = await new Visitor(portal.app).login('expert');
      assert.equal((await expert.get(`${NEWS}/nouvelle`)).statusCode, 200);
      const index = (await expert.get('/redaction')).body;
      assert.match(index, /href="\/redaction\/faq\/nouvelle"/);
      assert.match(index, /href="\/redaction\/actualites\/nouvelle"/);
    });

    test('a refused entry keeps what was typed, with each error next to its field, and writes nothing', async () => {
      const before = await count(db(), sql`select count(*) as n from faq_entries`);
      const auditBefore = await count(db(), sql`select count(*) as n from audit_log where action like 'faq.%'`);
      const ariane1 = await rows<{ id: number }>(
        db(),
        sql`insert into themes (application_id, name) values (${ariane}, 'connexion') returning id`,
      );
      const page = await postFaq(`${FAQ}/nouvelle`, {
        number: '55',
        title: '',
        body: 'Réponse **gardée**',
        applicationId: String(ceres),
        themeId: String(ariane1[0]!.id),
      });
      assert.equal(page.statusCode, 422);
      assert.match(page.body, /<title>Erreur – /);
      assert.match(fieldError(page.body, 'title'), /Le titre est obligatoire/);
      assert.match(errorSummary(page.body), /Titre : Le titre est obligatoire/);
      assert.equal(controlValue(page.body, 'body'), 'Réponse **gardée**');

      const second = await postFaq(`${FAQ}/nouvelle`, {
        number: '55',
        title: 'Doublon',
        body: 'Réponse',
        applicationId: String(ceres),
        themeId: String(ariane1[0]!.id),
      });
      assert.equal(second.statusCode, 422);
      assert.match(fieldError(second.body, 'themeId'), /n’est pas un thème de l’application choisie/);
      const third = await postFaq(`${FAQ}/nouvelle`, {
        number: '55',
        title: 'Doublon',
        body: 'Réponse',
        applicationId: String(ceres),
      });
      assert.match(fieldError(third.body, 'number'), /Le numéro 55 est déjà pris/);
      assert.equal(controlValue(third.body, 'title'), 'Doublon');
      assert.equal(await count(db(), sql`select count(*) as n from faq_entries`), before);
      assert.equal(await count(db(), sql`select count(*) as n from audit_log where action like 'faq.%'`), auditBefore);
    });

    test('an editor previews, creates (next number), edits, publishes and unpublishes an entry; every change is audited', async () => {
      const documentId = await addDocument('Guide des agréments', 'users');
      const secret = await addDocument('Note interne des agréments', 'agents');
      const body =
        '## Étapes\n\n- Ouvrir « Base des agréments »\n- Valider\n\n<script>alert(1)</script> [piège](javascript:alert(1))';
      const fields = {
        title: 'Lever un agrément bloquant',
        body,
        applicationId: String(ceres),
        themeId: String(await themeId(db(), 'base des agréments')),
        audience: 'users',
        documentIds: `${documentId},${secret}`,
      };
      const preview = await postFaq(`${FAQ}/nouvelle`, { ...fields, intent: 'preview' });
      assert.equal(preview.statusCode, 200);
      assert.match(preview.body, /Aperçu — rien n’est enregistré/);
      assert.match(preview.body, /<h2 class="fr-h2">61 - Lever un agrément bloquant<\/h2>/);
      assert.match(preview.body, /<h4>Étapes<\/h4>/);
      assert.match(preview.body, /&lt;script&gt;/);
      assert.doesNotMatch(preview.body, /<script>alert|href="javascript:/);
      assert.equal(controlValue(preview.body, 'title'), fields.title);
      assert.equal(await count(db(), sql`select count(*) as n from faq_entries where number = 61`), 0, 'a preview saves nothing');

      const created = await postFaq(`${FAQ}/nouvelle`, { ...fields, intent: 'save' });
      assert.equal(created.statusCode, 303);
      const id = await faqId(61);
      assert.equal(created.headers.location, `${FAQ}/${id}?fait=cree`);
      assert.equal(await audits('faq.create', `faq:${id}`), 1);
      assert.equal((await demandeur.get('/faq/61')).statusCode, 404, 'a draft is not published');
      assert.match((await admin.get(FAQ)).body, /<tbody>\s*<tr><td><a href="\/redaction\/faq\/\d+">61 - Lever/, 'drafts first');

      assert.equal((await publish(FAQ, id, true)).statusCode, 303);
      assert.equal(await audits('faq.publish', `faq:${id}`), 1);
      const page = await demandeur.get('/faq/61');
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /<h4>Étapes<\/h4>/);
      assert.match(page.body, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
      assert.doesNotMatch(page.body, /<script>alert|href="javascript:/);
      assert.match(
        page.body,
        /href="\/base-documentaire\/documents\/\d+">Guide des agréments<span class="fr-link__detail">PDF – 1,2 Mo<\/span>/,
      );
      assert.doesNotMatch(page.body, /Note interne des agréments/, 'an agents-only document is not shown to a requester');
      assert.match((await agent.get('/faq/61')).body, /Note interne des agréments/);
      assert.match((await demandeur.get('/')).body, /<a href="\/faq\/61">61 - Lever un agrément bloquant<\/a>/);

      const edited = await postFaq(`${FAQ}/${id}`, {
        ...fields,
        title: 'Lever un agrément bloquant (DIRECCTE)',
        documentIds: '',
        intent: 'save',
      });
      assert.equal(edited.statusCode, 303);
      assert.equal(await audits('faq.update', `faq:${id}`), 1);
      const after = (await demandeur.get('/faq/61')).body;
      assert.match(after, /61 - Lever un agrément bloquant \(DIRECCTE\)/);
      assert.doesNotMatch(after, /Guide des agréments/, 'documents unticked are no longer related');

      assert.equal((await publish(FAQ, id, false)).statusCode, 303);
      assert.equal(await audits('faq.unpublish', `faq:${id}`), 1);
      assert.equal((await demandeur.get('/faq/61')).statusCode, 404);
      assert.doesNotMatch((await demandeur.get('/')).body, /faq\/61/);
    });

    test('an agents-only entry never reaches a requester or an anonymous visitor', async () => {
      const created = await postFaq(`${FAQ}/nouvelle`, {
        number: '700',
        title: 'Consigne réservée aux agents',
        body: 'Ne pas diffuser.',
        applicationId: String(ceres),
        audience: 'agents',
      });
      assert.equal(created.statusCode, 303);
      const id = await faqId(700);
      await publish(FAQ, id, true);
      for (const visitor of [demandeur, anonymous]) {
        assert.equal((await visitor.get('/faq/700')).statusCode, 404);
        assert.doesNotMatch((await visitor.get('/faq')).body, /Consigne réservée/);
      }
      assert.doesNotMatch((await demandeur.get('/')).body, /Consigne réservée/);
      assert.match((await agent.get('/')).body, /700 - Consigne réservée aux agents/);
      assert.equal((await agent.get('/faq/700')).statusCode, 200);
    });

    test('a draft made from a request says so and links to it', async () => {
      const number = await fileAs(portal, 'demandeur', { subject: 'Agrément bloquant' });
      await db().execute(sql`insert into faq_entries (number, title, body, application_id, published, source_request_id)
        select 800, 'Brouillon issu d’une demande', 'À compléter', ${ceres}, false, id from requests where number = ${number}`);
      const page = (await admin.get(`${FAQ}/${await faqId(800)}`)).body;
      assert.match(page, new RegExp(`Brouillon créé à partir de la\\s*<a href="/demandes/${number}">demande n° ${number}</a>`));
    });

    test('the FAQ list pages with a cursor, newest first, without repeating an entry', async () => {
      for (let i = 0; i < 22; i++) {
        await db().execute(sql`insert into faq_entries (number, title, body, application_id, published, published_at, audience)
          values (${900 + i}, ${`Question de liste ${i}`}, 'Réponse', ${ariane}, true, now() - make_interval(days => ${i}), 'users')`);
      }
      const first = (await demandeur.get(`/faq?application=${ariane}`)).body;
      assert.match(first, /Question de liste 0<[\s\S]*Question de liste 19</);
      assert.doesNotMatch(first, /Question de liste 20</);
      const next = /href="(\/faq\?application=\d+&amp;apres=[^"]+)"/.exec(first)?.[1]?.replace(/&amp;/g, '&');
      assert.ok(next);
      const second = (await demandeur.get(next)).body;
      assert.match(second, /Question de liste 20<[\s\S]*Question de liste 21</);
      assert.doesNotMatch(second, /Question de liste 19</);
    });

    test('news: errors next to the fields, preview, publication within the window, audited', async () => {
      const csrf = await admin.token(`${NEWS}/nouvelle`);
      const refused = await admin.post(`${NEWS}/nouvelle`, {
        _csrf: csrf,
        title: 'Fermeture exceptionnelle',
        body: 'Le support est fermé.',
        startsOn: '2030-05-10',
        endsOn: '2030-05-01',
        audience: 'users',
      });
      assert.equal(refused.statusCode, 422);
      assert.match(fieldError(refused.body, 'endsOn'), /ne peut pas précéder la date de début/);
      assert.equal(controlValue(refused.body, 'title'), 'Fermeture exceptionnelle');
      const empty = await admin.post(`${NEWS}/nouvelle`, {
        _csrf: csrf,
        title: '',
        body: '',
        startsOn: '',
        endsOn: '',
        audience: 'users',
      });
      assert.match(fieldError(empty.body, 'title'), /obligatoire/);
      assert.match(fieldError(empty.body, 'startsOn'), /obligatoire/);
      assert.equal(await count(db(), sql`select count(*) as n from news where title = 'Fermeture exceptionnelle'`), 0);

      const fields = {
        _csrf: csrf,
        title: 'Fermeture exceptionnelle',
        body: 'Le support est **fermé**.',
        startsOn: '2030-05-01',
        endsOn: '2030-05-10',
        audience: 'users',
      };
      const preview = await admin.post(`${NEWS}/nouvelle`, { ...fields, intent: 'preview' });
      assert.match(preview.body, /Publiée du 01\/05\/2030 au 10\/05\/2030/);
      assert.match(preview.body, /<strong>fermé<\/strong>/);
      const created = await admin.post(`${NEWS}/nouvelle`, { ...fields, intent: 'save' });
      assert.equal(created.statusCode, 303);
      const [row] = await rows<{ id: number }>(db(), sql`select id from news where title = 'Fermeture exceptionnelle'`);
      const id = Number(row!.id);
      assert.equal(await audits('news.create', `news:${id}`), 1);

      setClock(new Date('2030-05-05T10:00:00Z'));
      assert.doesNotMatch((await demandeur.get('/')).body, /Fermeture exceptionnelle/, 'a draft is not shown');
      await publish(NEWS, id, true);
      assert.equal(await audits('news.publish', `news:${id}`), 1);
      const home = (await demandeur.get('/')).body;
      assert.match(home, /Fermeture exceptionnelle[\s\S]*Publiée du 01\/05\/2030 au 10\/05\/2030/);
      assert.ok(home.indexOf('Fermeture exceptionnelle') < home.indexOf('Ouverture de CERES'), 'newest first');

      setClock(new Date('2030-04-30T21:59:00Z')); // 23:59 in Paris, the day before
      assert.doesNotMatch((await demandeur.get('/')).body, /Fermeture exceptionnelle/);
      setClock(new Date('2030-04-30T22:00:00Z')); // midnight in Paris, 1 May
      assert.match((await demandeur.get('/')).body, /Fermeture exceptionnelle/);
      setClock(new Date('2030-05-10T21:59:00Z')); // last minute of 10 May in Paris
      assert.match((await demandeur.get('/')).body, /Fermeture exceptionnelle/);
      setClock(new Date('2030-05-10T22:00:00Z'));
      assert.doesNotMatch((await demandeur.get('/')).body, /Fermeture exceptionnelle/);
      const archive = (await demandeur.get('/actualites')).body;
      assert.match(archive, /Actualités passées[\s\S]*Fermeture exceptionnelle/);
      assert.match(archive, /Actualités passées[\s\S]*Maintenance de CERES/);

      const edited = await admin.post(`${NEWS}/${id}`, {
        ...fields,
        _csrf: await admin.token(`${NEWS}/${id}`),
        audience: 'agents',
        endsOn: '',
        intent: 'save',
      });
      assert.equal(edited.statusCode, 303);
      assert.equal(await audits('news.update', `news:${id}`), 1);
      assert.doesNotMatch((await demandeur.get('/')).body, /Fermeture exceptionnelle/, 'agents only now');
      assert.match((await agent.get('/')).body, /Fermeture exceptionnelle[\s\S]*Publiée le 01\/05\/2030/);
      await publish(NEWS, id, false);
      assert.equal(await audits('news.unpublish', `news:${id}`), 1);
      assert.doesNotMatch((await agent.get('/')).body, /Fermeture exceptionnelle/);
    });
  });
}
