/**
 * « Réponses types »: administrators create, edit and deactivate them (errors next to the fields,
 * audit trail); agents get the active ones of the request's application and the general ones in
 * their answer forms, variables replaced; without JavaScript « Insérer » keeps what was typed.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { applicationId, count, errorSummary, fieldError, fileAs, rows } from './support/factories.js';
import { Visitor } from './support/http.js';
import { createTestPortal, DATABASE_KINDS, type TestPortal } from './support/portal.js';

const BASE = '/admin/reponses-types';

/** The text of a form's textarea, entities decoded. */
function textareaOf(html: string, id: string): string {
  const raw = new RegExp(`<textarea[^>]*id="${id}"[^>]*>([\\s\\S]*?)</textarea>`).exec(html)?.[1] ?? '';
  return raw
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

for (const kind of DATABASE_KINDS) {
  describe(`canned answers (${kind})`, () => {
    let portal: TestPortal;
    let admin: Visitor;
    let agent: Visitor;
    let demandeur: Visitor;
    let ceres: number;
    let ariane: number;

    before(async () => {
      portal = await createTestPortal(kind);
      admin = await new Visitor(portal.app).login('admin');
      agent = await new Visitor(portal.app).login('agent');
      demandeur = await new Visitor(portal.app).login('demandeur');
      ceres = await applicationId(portal.database.db, 'CERES');
      ariane = await applicationId(portal.database.db, 'ARIANE');
    });
    after(() => portal?.close());

    const db = () => portal.database.db;

    async function create(fields: Record<string, string>) {
      const csrf = await admin.token(`${BASE}/nouvelle`);
      return admin.post(`${BASE}/nouvelle`, { _csrf: csrf, ...fields });
    }

    async function idOf(title: string): Promise<number> {
      const [row] = await rows<{ id: number }>(db(), sql`select id from canned_answers where title = ${title}`);
      assert.ok(row, `no canned answer « ${title} »`);
      return Number(row.id);
    }

    test('an administrator creates answers for one application or all, listed by application, in the audit trail', async () => {
      const created = await create({
        title: 'Modèle corrigé',
        applicationId: String(ceres),
        body: 'Bonjour {{demandeur}},\nLa demande n° {{numero}} ({{objet}}) est traitée.',
      });
      assert.equal(created.statusCode, 303);
      assert.equal(created.headers.location, `${BASE}?fait=cree`);
      assert.equal(
        (await create({ title: 'Formule de politesse', applicationId: '', body: 'Cordialement, l’assistance.' })).statusCode,
        303,
      );
      assert.equal(
        (await create({ title: 'Mot de passe Ariane', applicationId: String(ariane), body: 'Réinitialisez-le.' })).statusCode,
        303,
      );

      const list = (await admin.get(`${BASE}?fait=cree`)).body;
      assert.match(list, /La réponse type a été créée/);
      assert.match(list, /<caption>Toutes les applications<\/caption>[\s\S]*Formule de politesse/);
      assert.match(list, /<caption>CERES<\/caption>[\s\S]*Modèle corrigé/);
      assert.match((await admin.get('/admin')).body, /href="\/admin\/reponses-types"/);
      const audited = await count(
        db(),
        sql`select count(*) as n from audit_log where action = 'canned_answer.create' and target = ${`canned_answer:${await idOf('Modèle corrigé')}`}`,
      );
      assert.equal(audited, 1);
    });

    test('mistakes are shown next to the fields and in the summary, what was typed is kept, nothing saved', async () => {
      const before = await count(db(), sql`select count(*) as n from canned_answers`);
      const empty = await create({ title: '  ', applicationId: '', body: '' });
      assert.equal(empty.statusCode, 422);
      assert.match(fieldError(empty.body, 'title'), /titre est obligatoire/);
      assert.match(fieldError(empty.body, 'body'), /texte de la réponse est obligatoire/);
      assert.match(errorSummary(empty.body), /Titre : Le titre est obligatoire/);
      assert.match(empty.body, /<title>Erreur – /);

      const badApp = await create({ title: 'Autre', applicationId: '999999', body: 'Texte gardé.' });
      assert.equal(badApp.statusCode, 422);
      assert.match(fieldError(badApp.body, 'applicationId'), /Choisissez une application/);
      assert.match(badApp.body, /Texte gardé\./);
      assert.match(badApp.body, /name="title" value="Autre"/);

      await create({ title: 'Relance', applicationId: String(ceres), body: 'Avez-vous pu essayer ?' });
      const twice = await create({ title: 'relance', applicationId: String(ceres), body: 'Encore.' });
      assert.equal(twice.statusCode, 422);
      assert.match(fieldError(twice.body, 'title'), /déjà ce titre/);
      await create({ title: 'Générale', applicationId: '', body: 'Une.' });
      const generalTwice = await create({ title: 'Générale', applicationId: '', body: 'Deux.' });
      assert.match(fieldError(generalTwice.body, 'title'), /déjà ce titre/);
      // The same title for another application is another answer.
      assert.equal((await create({ title: 'Relance', applicationId: String(ariane), body: 'Et pour Ariane ?' })).statusCode, 303);
      assert.equal(await count(db(), sql`select count(*) as n from canned_answers`), before + 3);
    });

    test('editing and deactivating are saved and audited; the desk only gets active answers', async () => {
      await create({ title: 'À modifier', applicationId: String(ceres), body: 'Premier texte.' });
      const id = await idOf('À modifier');
      const csrf = await admin.token(`${BASE}/${id}`);
      const edited = await admin.post(`${BASE}/${id}`, {
        _csrf: csrf,
        title: 'Modifiée',
        applicationId: String(ceres),
        body: 'Texte revu.',
      });
      assert.equal(edited.statusCode, 303);
      const number = await fileAs(portal, 'demandeur');
      assert.match((await agent.get(`/demandes/${number}`)).body, />Modifiée</);

      const off = await admin.post(`${BASE}/${id}/etat`, { _csrf: csrf, active: 'false' });
      assert.equal(off.statusCode, 303);
      assert.match((await admin.get(off.headers.location as string)).body, /désactivée/);
      assert.doesNotMatch((await agent.get(`/demandes/${number}`)).body, />Modifiée</);
      const actions = await rows<{ action: string }>(
        db(),
        sql`select action from audit_log where target = ${`canned_answer:${id}`} order by id`,
      );
      assert.deepEqual(
        actions.map((a) => a.action),
        ['canned_answer.create', 'canned_answer.update', 'canned_answer.deactivate'],
      );
    });

    test('only administrators manage them', async () => {
      assert.equal((await agent.get(BASE)).statusCode, 403);
      const csrf = await agent.token('/');
      assert.equal(
        (await agent.post(`${BASE}/nouvelle`, { _csrf: csrf, title: 'X', applicationId: '', body: 'Y' })).statusCode,
        403,
      );
    });

    test('the answer forms offer the application’s and the general answers, variables replaced', async () => {
      const number = await fileAs(portal, 'demandeur', { subject: 'Export des sessions' });
      const page = (await agent.get(`/demandes/${number}`)).body;
      const resolveForm = /<form[^>]*id="form-resolve"[\s\S]*?<\/form>/.exec(page)?.[0] ?? '';
      assert.match(resolveForm, /<label class="fr-label" for="resolve-canned">Réponse type/);
      assert.match(resolveForm, />Modèle corrigé</);
      assert.match(resolveForm, />Formule de politesse</);
      assert.doesNotMatch(resolveForm, />Mot de passe Ariane</);
      assert.match(
        resolveForm,
        new RegExp(`data-body="Bonjour Hélène RIVIÈRE,\\nLa demande n° ${number} \\(Export des sessions\\) est traitée\\."`),
      );
      assert.match(page, /id="ask_info-canned"/);
      // Requesters never see them.
      assert.doesNotMatch((await demandeur.get(`/demandes/${number}`)).body, /Réponse type|Modèle corrigé/);
    });

    test('without JavaScript, « Insérer » shows the form again with the text added after what was typed', async () => {
      const number = await fileAs(portal, 'demandeur', { subject: 'Export des sessions' });
      const csrf = await agent.token(`/demandes/${number}`);
      const id = await idOf('Modèle corrigé');
      const typed = 'Merci pour les captures.';
      const response = await agent.post(`/demandes/${number}/reponse-type`, {
        _csrf: csrf,
        action: 'resolve',
        insertInto: 'resolve',
        message: typed,
        cannedAnswerId: String(id),
      });
      assert.equal(response.statusCode, 200);
      assert.doesNotMatch(response.body, /<title>Erreur/);
      assert.equal(
        textareaOf(response.body, 'resolve-message'),
        `${typed}\n\nBonjour Hélène RIVIÈRE,\nLa demande n° ${number} (Export des sessions) est traitée.`,
      );
      assert.match(
        response.body,
        /id="accordion-resolve"[^>]*class="fr-collapse fr-collapse--expanded"|class="fr-collapse fr-collapse--expanded" id="accordion-resolve"/,
      );
      // Nothing was saved.
      assert.equal(
        await count(
          db(),
          sql`select count(*) as n from request_events e join requests r on r.id = e.request_id where r.number = ${number} and e.kind = 'resolve'`,
        ),
        0,
      );

      const none = await agent.post(`/demandes/${number}/reponse-type`, {
        _csrf: csrf,
        insertInto: 'ask_info',
        message: typed,
        cannedAnswerId: '',
      });
      assert.equal(none.statusCode, 422);
      assert.match(fieldError(none.body, 'cannedAnswerId', 'form-ask_info'), /Choisissez une réponse type/);
      assert.equal(textareaOf(none.body, 'ask_info-message'), typed);

      const byRequester = await demandeur.post(`/demandes/${number}/reponse-type`, {
        _csrf: await demandeur.token('/'),
        insertInto: 'resolve',
        cannedAnswerId: String(id),
      });
      assert.equal(byRequester.statusCode, 403);
    });
  });
}
