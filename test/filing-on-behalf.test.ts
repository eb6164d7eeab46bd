/**
 * Filing on behalf: a regional (DIRECCTE) requester files « pour le compte de » a local-unit agent;
 * the desk finds a caller's account and files their request by telephone or e-mail. The request is
 * the requester's (their list, their receipt), its history says who created it for whom, and its
 * channel is recorded.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eq, sql } from 'drizzle-orm';
import { transaction } from '../src/db/client.js';
import { users } from '../src/db/schema.js';
import { ForbiddenError } from '../src/domain/errors.js';
import { fileRequest } from '../src/domain/requests/commands/file-request.js';
import { searchRequesters } from '../src/domain/requests/requester-search.js';
import { actorOf, applicationId, count, createUser, errorSummary, fieldError, readForm, rows } from './support/factories.js';
import { Visitor } from './support/http.js';
import { createTestPortal, DATABASE_KINDS, type TestPortal } from './support/portal.js';

type RequestRow = {
  number: string;
  requester_id: number;
  created_by_id: number;
  structure_id: number | null;
  channel: string;
  on_behalf_name: string | null;
  on_behalf_email: string | null;
  on_behalf_copy: boolean;
};

/** The text of a page without its tags, entities of the portal's pages decoded. */
const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/\s+/g, ' ');

/** The words of the creation line of a request page's history. */
const creationLine = (html: string) => /Créée par [\s\S]*? le \d{2}\/\d{2}\/\d{4}/.exec(text(html))?.[0] ?? '';

for (const kind of DATABASE_KINDS) {
  describe(`filing on behalf (${kind})`, () => {
    let portal: TestPortal;
    let direccte: Visitor;
    let demandeur: Visitor;
    let agent: Visitor;

    before(async () => {
      portal = await createTestPortal(kind);
      [direccte, demandeur, agent] = await Promise.all([
        new Visitor(portal.app).login('direccte'),
        new Visitor(portal.app).login('demandeur'),
        new Visitor(portal.app).login('agent'),
      ]);
    });
    after(() => portal?.close());

    const request = async (number: number) =>
      (await rows<RequestRow>(portal.database.db, sql`select * from requests where number = ${number}`))[0]!;
    const userId = async (login: string) => (await actorOf(portal.database.db, login)).id;
    const written = async () => ({
      requests: await count(portal.database.db, sql`select count(*) as n from requests`),
      outbox: await count(portal.database.db, sql`select count(*) as n from outbox`),
    });
    const numberOf = (location: unknown) => Number(/(?:\/demandes\/|enregistree=)(\d+)/.exec(String(location))?.[1]);

    /** The requester's form, filled in; `extra` adds or overrides fields. */
    async function requesterForm(visitor: Visitor, extra: Record<string, string> = {}) {
      const page = await visitor.get('/demandes/nouvelle');
      const form = readForm(page.body);
      const fields = {
        _csrf: form.csrf,
        token: form.token,
        subject: 'Jury introuvable',
        blocking: 'non',
        applicationId: form.option('CERES'),
        description: 'Le jury de la session du 12 mars n’apparaît plus.',
        ...extra,
      };
      return { page, url: '/demandes/nouvelle', fields };
    }

    test('a regional requester is offered the « pour le compte de » fieldset; a centre is not', async () => {
      const regional = (await direccte.get('/demandes/nouvelle')).body;
      assert.match(regional, /Demande déposée pour le compte d’une unité locale/);
      assert.match(regional, /Je dépose cette demande pour le compte d’un agent d’une unité locale/);
      assert.match(regional, /<label class="fr-label" for="onBehalfName">Nom et prénom de l’agent/);
      assert.match(regional, /<label class="fr-label" for="onBehalfEmail">Adresse électronique de l’agent/);
      assert.match(regional, /Envoyer une copie de la réponse à cet agent \(sans lien vers le portail\)/);
      const centre = (await demandeur.get('/demandes/nouvelle')).body;
      assert.doesNotMatch(centre, /pour le compte d/);
      assert.doesNotMatch(centre, /name="onBehalf/);
    });

    test('box ticked, half filled or a wrong address: errors next to the fields, what was typed kept, nothing filed', async () => {
      const before = await written();
      const half = await requesterForm(direccte, { onBehalf: 'oui', onBehalfName: 'Jean DUPONT', onBehalfEmail: '' });
      const refused = await direccte.postMultipart(half.url, half.fields);
      assert.equal(refused.statusCode, 422);
      assert.match(fieldError(refused.body, 'onBehalfEmail'), /Indiquez l’adresse électronique de l’agent/);
      assert.equal(fieldError(refused.body, 'onBehalfName'), '');
      assert.match(errorSummary(refused.body), /Adresse électronique de l’agent : Indiquez l’adresse/);
      assert.match(refused.body, /name="onBehalfName" value="Jean DUPONT"/);
      assert.match(refused.body, /id="onBehalf" name="onBehalf" value="oui" checked/);
      assert.match(refused.body, /value="Jury introuvable"/);

      const wrong = await requesterForm(direccte, { onBehalf: 'oui', onBehalfName: '', onBehalfEmail: 'jean.dupont@' });
      const refusedAgain = await direccte.postMultipart(wrong.url, wrong.fields);
      assert.equal(refusedAgain.statusCode, 422);
      assert.match(fieldError(refusedAgain.body, 'onBehalfEmail'), /Format attendu : nom@domaine\.fr/);
      assert.match(fieldError(refusedAgain.body, 'onBehalfName'), /Indiquez le nom et le prénom de l’agent/);
      assert.match(refusedAgain.body, /name="onBehalfEmail" value="jean.dupont@"/);
      // The request's own fields are checked at the same time.
      const both = await requesterForm(direccte, { onBehalf: 'oui', subject: '', onBehalfName: 'Jean DUPONT' });
      const refusedBoth = await direccte.postMultipart(both.url, both.fields);
      assert.match(errorSummary(refusedBoth.body), /2 erreurs/);
      assert.deepEqual(await written(), before);
    });

    test('filed « pour le compte de »: the agent recorded, the regional user stays the requester, the history says it', async () => {
      const filled = await requesterForm(direccte, {
        onBehalf: 'oui',
        onBehalfName: 'Jean DUPONT',
        onBehalfEmail: 'jean.dupont@ud29.example.fr',
        onBehalfCopy: 'oui',
      });
      const before = await written();
      const filed = await direccte.postMultipart(filled.url, filled.fields);
      assert.equal(filed.statusCode, 303, filed.body.slice(0, 400));
      const number = numberOf(filed.headers.location);
      const row = await request(number);
      assert.equal(row.on_behalf_name, 'Jean DUPONT');
      assert.equal(row.on_behalf_email, 'jean.dupont@ud29.example.fr');
      assert.equal(row.on_behalf_copy, true);
      assert.equal(row.requester_id, await userId('direccte'));
      assert.equal(row.created_by_id, await userId('direccte'));
      assert.equal(row.channel, 'portail');
      // The receipt goes to the regional user, who forwards the answer.
      const receipts = await rows<{ to_address: string }>(
        portal.database.db,
        sql`select o.to_address from outbox o join requests r on r.id = o.request_id where r.number = ${number}`,
      );
      assert.ok(receipts.some((m) => m.to_address === 'direccte@demo.assistance.localhost'));
      assert.ok((await written()).outbox > before.outbox);

      const page = (await direccte.get(`/demandes/${number}`)).body;
      assert.equal(
        creationLine(page),
        `Créée par Yannick LE GOFF (DIRECCTE Bretagne) pour le compte de Jean DUPONT (unité locale) le ${/\d{2}\/\d{2}\/\d{4}/.exec(creationLine(page))?.[0]}`,
      );
      assert.match(
        text(page),
        /Pour le compte de Jean DUPONT \(unité locale\), jean\.dupont@ud29\.example\.fr : l’agent reçoit une copie de la réponse, sans lien vers le portail/,
      );
      assert.doesNotMatch(text(page), /Canal/, 'the channel is for the desk');
      const desk = (await agent.get(`/demandes/${number}`)).body;
      assert.match(text(desk), /Canal Portail/);
      assert.match(text(desk), /Pour le compte de Jean DUPONT/);
    });

    test('the box unticked: fields typed in it are ignored, the request is the regional user’s own', async () => {
      const filled = await requesterForm(direccte, { onBehalfName: 'Jean DUPONT', onBehalfEmail: 'pas-une-adresse' });
      const filed = await direccte.postMultipart(filled.url, filled.fields);
      assert.equal(filed.statusCode, 303);
      const row = await request(numberOf(filed.headers.location));
      assert.equal(row.on_behalf_name, null);
      assert.equal(row.on_behalf_copy, false);
    });

    test('a centre cannot file « pour le compte de »: the fields are ignored on the form, refused by the command', async () => {
      const filled = await requesterForm(demandeur, {
        onBehalf: 'oui',
        onBehalfName: 'Jean DUPONT',
        onBehalfEmail: 'jean.dupont@ud29.example.fr',
        onBehalfCopy: 'oui',
      });
      const filed = await demandeur.postMultipart(filled.url, filled.fields);
      assert.equal(filed.statusCode, 303);
      const number = numberOf(filed.headers.location);
      const row = await request(number);
      assert.equal(row.on_behalf_name, null);
      assert.equal(row.on_behalf_email, null);
      assert.equal(row.on_behalf_copy, false);
      assert.doesNotMatch((await demandeur.get(`/demandes/${number}`)).body, /Pour le compte de/);

      const db = portal.database.db;
      const actor = await actorOf(db, 'demandeur');
      const input = {
        subject: 'Pour un autre',
        blocking: false,
        applicationId: await applicationId(db, 'CERES'),
        themeId: null,
        problemTypeId: null,
        businessReference: null,
        description: 'Une demande pour le compte d’un agent.',
      };
      const before = await written();
      await assert.rejects(
        transaction(db, (tx) =>
          fileRequest(tx, actor, input, {
            publicUrl: 'http://localhost',
            submissionToken: 'centre-on-behalf-0001',
            onBehalf: { name: 'Jean DUPONT', email: 'jean.dupont@ud29.example.fr', copy: false },
          }),
        ),
        ForbiddenError,
      );
      // Nor may a requester file for someone else, or say it came by telephone.
      const other = await userId('direccte');
      await assert.rejects(
        transaction(db, (tx) =>
          fileRequest(tx, actor, input, {
            publicUrl: 'http://localhost',
            submissionToken: 'centre-for-other-0001',
            requesterId: other,
          }),
        ),
        ForbiddenError,
      );
      await assert.rejects(
        transaction(db, (tx) =>
          fileRequest(tx, actor, input, {
            publicUrl: 'http://localhost',
            submissionToken: 'centre-by-phone-0001',
            channel: 'telephone',
          }),
        ),
        ForbiddenError,
      );
      assert.deepEqual(await written(), before);
    });

    test('the desk finds active requesters only, accents and case folded, by name, identifiant, e-mail or structure', async () => {
      const db = portal.database.db;
      const inactive = await createUser(db, 'h-riviere-partie', 'requester');
      await db.update(users).set({ firstName: 'Hélène', lastName: 'Rivière', active: false }).where(eq(users.id, inactive.id));
      const staff = await createUser(db, 'h-riviere-agent', 'agent');
      await db.update(users).set({ firstName: 'Hélène', lastName: 'Rivière' }).where(eq(users.id, staff.id));
      const demandeurId = await userId('demandeur');

      for (const query of ['helene riviere', 'RIVIÈRE', 'Riviere Hel', 'tilleuls', 'demandeur@demo', 'LES TILLEULS helene']) {
        const found = await searchRequesters(db, query);
        assert.deepEqual(
          found.rows.map((r) => r.id),
          [demandeurId],
          `« ${query} » finds the one active requester`,
        );
      }
      assert.equal((await searchRequesters(db, 'riviere 50%')).rows.length, 0, 'LIKE’s characters are taken literally');

      // The page: a table of accounts with a « Choisir » button each.
      const page = await agent.get('/guichet/nouvelle-demande?recherche=h%C3%A9l%C3%A8ne+riviere');
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /<caption>Comptes de demandeurs actifs correspondant à « hélène riviere »<\/caption>/);
      assert.match(
        page.body,
        new RegExp(`href="/guichet/nouvelle-demande/${demandeurId}">Choisir<span class="fr-sr-only"> Hélène RIVIÈRE</span>`),
      );
      assert.doesNotMatch(page.body, new RegExp(`/guichet/nouvelle-demande/(${inactive.id}|${staff.id})"`));
      const none = await agent.get('/guichet/nouvelle-demande?recherche=zzzz-personne');
      assert.match(none.body, /Aucun compte de demandeur actif ne correspond à cette recherche/);
      const short = await agent.get('/guichet/nouvelle-demande?recherche=h');
      assert.equal(short.statusCode, 422);
      assert.match(fieldError(short.body, 'recherche'), /Saisissez au moins 2 caractères/);

      // Neither an inactive account nor a desk member can be chosen.
      assert.equal((await agent.get(`/guichet/nouvelle-demande/${inactive.id}`)).statusCode, 404);
      assert.equal((await agent.get(`/guichet/nouvelle-demande/${staff.id}`)).statusCode, 404);
      assert.equal((await agent.get('/guichet/nouvelle-demande/99999999999')).statusCode, 404);
    });

    test('at most 20 accounts are listed, and the page says there are more', async () => {
      const db = portal.database.db;
      for (let i = 1; i <= 21; i++) await createUser(db, `homonyme-${String(i).padStart(2, '0')}`, 'requester');
      const found = await searchRequesters(db, 'homonyme');
      assert.equal(found.rows.length, 20);
      assert.equal(found.more, true);
      const page = await agent.get('/guichet/nouvelle-demande?recherche=homonyme');
      assert.equal((page.body.match(/>Choisir</g) ?? []).length, 20);
      assert.match(page.body, /Seuls les 20 premiers comptes sont affichés : précisez la recherche/);
    });

    test('an agent files by telephone for a caller: theirs in « Mes demandes », receipt to them, « Créée par … pour … »', async () => {
      const demandeurId = await userId('demandeur');
      const desk = (await agent.get('/guichet')).body;
      assert.match(desk, /href="\/guichet\/nouvelle-demande"/);
      const step2 = await agent.get(`/guichet/nouvelle-demande/${demandeurId}`);
      assert.equal(step2.statusCode, 200);
      assert.match(text(step2.body), /Demandeur Hélène RIVIÈRE/);
      assert.match(step2.body, /<option value="telephone" selected>Téléphone<\/option>/);
      assert.match(step2.body, /<option value="courriel">Courriel<\/option>/);
      assert.doesNotMatch(step2.body, /name="onBehalf"/, 'a centre’s request is not « pour le compte de »');
      const form = readForm(step2.body);
      const url = `/guichet/nouvelle-demande/${demandeurId}`;
      const fields = {
        _csrf: form.csrf,
        token: form.token,
        channel: 'telephone',
        subject: 'Édition des attestations',
        blocking: 'oui',
        applicationId: form.option('CERES'),
        description: 'Appel de Mme Rivière : l’édition des attestations échoue depuis ce matin.',
      };

      const before = await written();
      const refused = await agent.postMultipart(url, { ...fields, channel: 'portail', description: '' });
      assert.equal(refused.statusCode, 422);
      assert.match(fieldError(refused.body, 'channel'), /Choisissez le canal/);
      assert.match(fieldError(refused.body, 'description'), /Décrivez le problème/);
      assert.match(refused.body, /value="Édition des attestations"/);
      assert.match(text(refused.body), /Demandeur Hélène RIVIÈRE/);
      assert.deepEqual(await written(), before);

      const filed = await agent.postMultipart(url, fields);
      assert.equal(filed.statusCode, 303, filed.body.slice(0, 400));
      assert.match(String(filed.headers.location), /^\/guichet\/nouvelle-demande\?enregistree=\d+$/);
      const number = numberOf(filed.headers.location);
      const row = await request(number);
      assert.equal(row.requester_id, demandeurId);
      assert.equal(row.created_by_id, await userId('agent'));
      assert.equal(row.channel, 'telephone');
      const [caller] = await rows<{ structure_id: number }>(
        portal.database.db,
        sql`select structure_id from users where login = 'demandeur'`,
      );
      assert.equal(row.structure_id, caller?.structure_id);
      const receipts = await rows<{ to_address: string }>(
        portal.database.db,
        sql`select o.to_address from outbox o join requests r on r.id = o.request_id where r.number = ${number}`,
      );
      assert.ok(
        receipts.some((m) => m.to_address === 'demandeur@demo.assistance.localhost'),
        'the receipt goes to the caller',
      );
      assert.ok(!receipts.some((m) => m.to_address === 'agent@demo.assistance.localhost'));

      const notice = await agent.get(String(filed.headers.location));
      assert.match(text(notice.body), new RegExp(`La demande n° ${number} a bien été enregistrée`));
      assert.match(notice.body, new RegExp(`href="/demandes/${number}">Voir la demande n° ${number}</a>`));

      // The caller's own list and page.
      assert.match((await demandeur.get('/demandes')).body, new RegExp(`/demandes/${number}"`));
      const theirs = (await demandeur.get(`/demandes/${number}`)).body;
      assert.match(creationLine(theirs), /^Créée par l’assistance pour Hélène RIVIÈRE \(téléphone\) le /);
      assert.doesNotMatch(text(theirs), /Canal/);
      const deskView = (await agent.get(`/demandes/${number}`)).body;
      assert.match(creationLine(deskView), /^Créée par Sophie LAMBERT pour Hélène RIVIÈRE \(téléphone\) le /);
      assert.match(text(deskView), /Canal Téléphone/);
    });

    test('the same form sent twice files one request', async () => {
      const demandeurId = await userId('demandeur');
      const form = readForm((await agent.get(`/guichet/nouvelle-demande/${demandeurId}`)).body);
      const url = `/guichet/nouvelle-demande/${demandeurId}`;
      const fields = {
        _csrf: form.csrf,
        token: form.token,
        channel: 'courriel',
        subject: 'Reçu par courriel',
        blocking: 'non',
        applicationId: form.option('CERES'),
        description: 'Courriel de Mme Rivière transmis au guichet.',
      };
      const before = await written();
      const first = await agent.postMultipart(url, fields);
      const second = await agent.postMultipart(url, fields);
      assert.equal(first.statusCode, 303);
      assert.equal(second.statusCode, 303);
      assert.equal(numberOf(first.headers.location), numberOf(second.headers.location));
      assert.match(String(second.headers.location), /&deja=1$/);
      const after = await written();
      assert.equal(after.requests, before.requests + 1);
      const receipts = await count(
        portal.database.db,
        sql`select count(*) as n from outbox o join requests r on r.id = o.request_id
            where r.number = ${numberOf(first.headers.location)} and o.to_address = 'demandeur@demo.assistance.localhost'`,
      );
      assert.equal(receipts, 1, 'one receipt');
      assert.equal((await request(numberOf(first.headers.location))).channel, 'courriel');
    });

    test('for a regional caller, the desk may record the local agent too', async () => {
      const id = await userId('direccte');
      const page = await agent.get(`/guichet/nouvelle-demande/${id}`);
      assert.match(page.body, /name="onBehalf"/);
      const form = readForm(page.body);
      const filed = await agent.postMultipart(`/guichet/nouvelle-demande/${id}`, {
        _csrf: form.csrf,
        token: form.token,
        channel: 'telephone',
        subject: 'Appel pour une UD',
        blocking: 'non',
        applicationId: form.option('CERES'),
        description: 'La DIRECCTE appelle pour un agent de l’unité du Finistère.',
        onBehalf: 'oui',
        onBehalfName: 'Anne KERVELLA',
        onBehalfEmail: 'anne.kervella@ud29.example.fr',
      });
      assert.equal(filed.statusCode, 303);
      const number = numberOf(filed.headers.location);
      assert.match(
        creationLine((await direccte.get(`/demandes/${number}`)).body),
        /^Créée par l’assistance pour Yannick LE GOFF \(téléphone\), pour le compte d’Anne KERVELLA \(unité locale\) le /,
      );
    });

    test('requesters cannot reach the desk’s form: 403', async () => {
      assert.equal((await demandeur.get('/guichet/nouvelle-demande')).statusCode, 403);
      assert.equal((await direccte.get('/guichet/nouvelle-demande?recherche=riviere')).statusCode, 403);
      const id = await userId('demandeur');
      assert.equal((await demandeur.get(`/guichet/nouvelle-demande/${id}`)).statusCode, 403);
      const csrf = await demandeur.token('/demandes/nouvelle');
      const before = await written();
      const posted = await demandeur.postMultipart(`/guichet/nouvelle-demande/${id}`, {
        _csrf: csrf,
        token: 'requester-posts-desk-form',
        channel: 'telephone',
        subject: 'Tentative',
        blocking: 'non',
        applicationId: '1',
        description: 'Un demandeur essaie le formulaire du guichet.',
      });
      assert.equal(posted.statusCode, 403);
      assert.deepEqual(await written(), before);
      assert.doesNotMatch((await demandeur.get('/demandes')).body, /nouvelle-demande"/);
    });
  });
}
